namespace Funnel.Core.Tests;

public sealed class AtomicFolderTests : IDisposable
{
    private readonly TempFolder temp = new();

    [Fact]
    public void A_write_replaces_the_whole_folder_and_leaves_no_staging_behind()
    {
        var target = temp.Combine("stage");
        AtomicFolder.Write(target, staging => File.WriteAllText(Path.Combine(staging, "old.txt"), "old"));

        AtomicFolder.Write(target, staging => File.WriteAllText(Path.Combine(staging, "new.txt"), "new"));

        Assert.Equal(["new.txt"], Directory.GetFiles(target).Select(Path.GetFileName));
        Assert.Equal([target], Directory.GetDirectories(temp.Path));
    }

    [Fact]
    public void A_failed_write_keeps_the_old_folder_whole_and_deletes_its_staging()
    {
        var target = temp.Combine("stage");
        AtomicFolder.Write(target, staging => File.WriteAllText(Path.Combine(staging, "kept.txt"), "kept"));

        Assert.Throws<IOException>(() => AtomicFolder.Write(target, staging =>
        {
            File.WriteAllText(Path.Combine(staging, "half.txt"), "half");
            throw new IOException("disk full");
        }));

        Assert.Equal("kept", File.ReadAllText(Path.Combine(target, "kept.txt")));
        Assert.False(File.Exists(Path.Combine(target, "half.txt")));
        Assert.Equal([target], Directory.GetDirectories(temp.Path));
    }

    [Fact]
    public void Staging_folders_are_hidden_siblings_of_their_target()
    {
        var target = temp.Combine("data");

        var staging = AtomicFolder.CreateStaging(target);

        Assert.Equal(temp.Path, Path.GetDirectoryName(staging));
        Assert.StartsWith(".data.tmp-", Path.GetFileName(staging), StringComparison.Ordinal);
        AtomicFolder.Replace(staging, target);
        Assert.True(Directory.Exists(target));
        Assert.False(Directory.Exists(staging));
    }

    public void Dispose() => temp.Dispose();
}

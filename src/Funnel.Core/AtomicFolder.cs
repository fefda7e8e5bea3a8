namespace Funnel.Core;

/// <summary>
/// Writes a folder through a staging sibling and renames, so a reader or a crash sees either the
/// whole old folder or the whole new one, never a mix of their files. The one implementation of the
/// folder swap: datasets, indexes, model stages and checkpoints all go through it.
/// </summary>
public static class AtomicFolder
{
    /// <summary>Lets <paramref name="write"/> fill a new staging folder, then swaps it in for <paramref name="folder"/>.</summary>
    public static void Write(string folder, Action<string> write)
    {
        var target = Path.GetFullPath(folder);
        var staging = CreateStaging(target);
        try
        {
            write(staging);
            Replace(staging, target);
        }
        catch
        {
            DeleteIfExists(staging);
            throw;
        }
    }

    /// <summary>
    /// Creates an empty staging folder beside <paramref name="target"/> (hidden, uniquely named), for
    /// writers that fill it over several calls and then <see cref="Replace"/> the target with it.
    /// </summary>
    public static string CreateStaging(string target)
    {
        var full = Path.GetFullPath(target);
        var parent = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(full)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        return staging;
    }

    /// <summary>
    /// Moves <paramref name="staging"/> to <paramref name="target"/> with renames only: an existing
    /// target is renamed aside first and deleted once the new folder is in place, so it stays whole
    /// until then, and is put back if the new one cannot be moved in.
    /// </summary>
    public static void Replace(string staging, string target)
    {
        target = Path.GetFullPath(target);
        var retired = $"{StagingPrefix(target)}.old-{Guid.NewGuid():N}";
        var hadTarget = Directory.Exists(target);
        if (hadTarget)
        {
            Directory.Move(target, retired);
        }
        try
        {
            Directory.Move(staging, target);
        }
        catch when (hadTarget)
        {
            Directory.Move(retired, target);
            throw;
        }
        DeleteIfExists(retired);
    }

    /// <summary>Deletes a staging folder that will not be committed.</summary>
    public static void DeleteIfExists(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string StagingPrefix(string target) =>
        Path.Combine(Path.GetDirectoryName(target) ?? ".", "." + Path.GetFileName(target));
}

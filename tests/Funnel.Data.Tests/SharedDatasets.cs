namespace Funnel.Data.Tests;

/// <summary>The public datasets in ../shared/datasets beside the checkout (read in place; never copied into the repo).</summary>
internal static class SharedDatasets
{
    public static string Folder(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Funnel.slnx")))
            {
                var folder = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "datasets", name));
                return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"{folder}: the shared datasets are expected beside the checkout");
            }
        }
        throw new DirectoryNotFoundException("Funnel.slnx not found above " + AppContext.BaseDirectory);
    }
}

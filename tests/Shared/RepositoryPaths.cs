namespace Funnel.Tests.Shared;

/// <summary>
/// Where the checkout and the shared public datasets are, seen from a test binary. Compiled into
/// every test project (tests/Directory.Build.props); the datasets live beside the checkout and are
/// read in place, never copied into the repository.
/// </summary>
internal static class RepositoryPaths
{
    /// <summary>The checkout: the folder holding Funnel.slnx above the test binaries.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Funnel.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException("Funnel.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The shared datasets folder, ../shared/datasets from the checkout.</summary>
    public static string Datasets() => Path.GetFullPath(Path.Combine(Root(), "..", "shared", "datasets"));

    /// <summary>One shared dataset's folder; fails clearly when the datasets are not beside the checkout.</summary>
    public static string Dataset(string name)
    {
        var folder = Path.Combine(Datasets(), name);
        return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"{folder}: the shared datasets are expected beside the checkout");
    }
}

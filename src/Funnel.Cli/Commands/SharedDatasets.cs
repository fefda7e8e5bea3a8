namespace Funnel.Cli.Commands;

/// <summary>Finds the public datasets that live beside a checkout (../shared/datasets), never inside it.</summary>
internal static class SharedDatasets
{
    public const string Variable = "FUNNEL_DATASETS";

    /// <summary>The named dataset folder, or null when it cannot be found.</summary>
    public static string? Find(string? explicitRoot, string name)
    {
        var roots = new List<string>();
        if (!string.IsNullOrEmpty(explicitRoot))
        {
            roots.Add(explicitRoot);
        }
        else if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fromEnvironment)
        {
            roots.Add(fromEnvironment);
        }
        else
        {
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
                {
                    roots.Add(Path.Combine(directory.FullName, "shared", "datasets"));
                }
            }
        }
        return roots.Select(root => Path.Combine(root, name)).FirstOrDefault(Directory.Exists);
    }
}

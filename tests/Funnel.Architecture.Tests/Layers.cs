namespace Funnel.Architecture.Tests;

/// <summary>
/// The layers of src/ and bench/, lowest first (docs/architecture.md draws them). A project may
/// reference only projects of lower layers; projects of one layer know nothing of each other.
/// </summary>
internal static class Layers
{
    public static readonly IReadOnlyList<string[]> Order =
    [
        ["Funnel.Core"],
        ["Funnel.Torch", "Funnel.Data", "Funnel.Retrieval"],
        ["Funnel.Evaluation"],
        ["Funnel.Candidates"],
        ["Funnel.Ranking"],
        ["Funnel.Serving"],
        ["Funnel.Runs"],
        ["Funnel.Experiments", "Funnel.Benchmarks"],
        ["Funnel.Cli"],
    ];

    /// <summary>The stage libraries: they hold no workflows, reports or command lines.</summary>
    public static readonly IReadOnlyList<string> Stages =
        ["Funnel.Core", "Funnel.Torch", "Funnel.Data", "Funnel.Retrieval", "Funnel.Evaluation", "Funnel.Candidates", "Funnel.Ranking", "Funnel.Serving"];

    /// <summary>Packages that belong to one project each, and the projects allowed to reference them.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> PackageOwners = new Dictionary<string, string[]>
    {
        ["TorchSharp-cpu"] = ["Funnel.Torch"],
        ["ScottPlot"] = ["Funnel.Runs"],
        ["Markdig"] = ["Funnel.Runs"],
        ["System.CommandLine"] = ["Funnel.Cli"],
        ["Microsoft.Garnet"] = ["Funnel.Serving"],
        ["StackExchange.Redis"] = ["Funnel.Serving"],
        ["Cloud.Unum.USearch"] = ["Funnel.Retrieval"],
        ["Parquet.Net"] = ["Funnel.Data"],
        ["DuckDB.NET.Data.Full"] = ["Funnel.Data"],
    };

    /// <summary>Assemblies no stage library may load, even transitively through a project reference.</summary>
    public static readonly IReadOnlyList<string> ForbiddenInStages = ["ScottPlot", "Markdig", "System.CommandLine", "Funnel.Runs", "Funnel.Experiments", "Funnel.Benchmarks", "funnel"];

    public static int LayerOf(string project)
    {
        for (var layer = 0; layer < Order.Count; layer++)
        {
            if (Order[layer].Contains(project))
            {
                return layer;
            }
        }
        throw new InvalidOperationException($"{project} is in no layer: add it to {nameof(Layers)}.{nameof(Order)} and docs/architecture.md");
    }
}

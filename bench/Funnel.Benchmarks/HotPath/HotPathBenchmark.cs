using System.Globalization;
using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Funnel.Retrieval.Hnsw;
using Funnel.Retrieval.Ivf;
using Funnel.Serving.Models;
using Funnel.Serving.Recommendations;

namespace Funnel.Benchmarks.HotPath;

/// <summary>
/// funnel bench hot-path: <see cref="RecommendationHotPath"/> under BenchmarkDotNet, in this process
/// (the model and libtorch are loaded once), with its memory diagnoser, then a
/// <see cref="StagePass"/> for the stages' times and the served index's recall. <c>Dry</c> runs the
/// benchmark once, as the test suite does so that it cannot rot; the figures come from the default
/// short job.
/// </summary>
public static class HotPathBenchmark
{
    /// <summary>The network candidates a slate searches the index for (the served sources' default).</summary>
    private static readonly int SearchedCandidates = new CandidateSources().Network;

    /// <summary>Users of the stage pass unless told otherwise.</summary>
    public const int DefaultStageUsers = 200;

    /// <summary>
    /// Measures one slate served from <paramref name="modelFolder"/>, once per search setting: each
    /// beam width of <paramref name="expansions"/> for an HNSW graph, each probe count of
    /// <paramref name="probes"/> for an inverted file (empty: the index's saved setting), with a
    /// stage pass of <paramref name="stageUsers"/> users after each; first writes the ANN peer's
    /// files into <paramref name="peerFolder"/> when given (<see cref="PeerFiles"/>).
    /// </summary>
    public static IReadOnlyList<HotPathBenchmarkRow> Run(string modelFolder, IReadOnlyList<int> expansions, IReadOnlyList<int> probes, int stageUsers, string? peerFolder, bool dry, Action<string> log)
    {
        CheckBeams(expansions, stageUsers);
        log($"bench hot-path: loading {modelFolder}");
        using var model = ServingModel.LoadAsync(modelFolder).GetAwaiter().GetResult();
        var graph = model.Index as HnswIndex;
        var lists = model.Index as IvfIndex;
        if (graph is null && expansions.Count > 0)
        {
            throw new ArgumentException($"--ef sets an HNSW graph's search beam; the index of {modelFolder} is {model.Index.Kind}");
        }
        if (lists is null && probes.Count > 0)
        {
            throw new ArgumentException($"--probes sets how many lists an IVF index scans; the index of {modelFolder} is {model.Index.Kind}");
        }
        if (peerFolder is not null)
        {
            PeerFiles.Write(model, peerFolder, log);
        }
        var name = Path.GetFileName(Path.GetFullPath(modelFolder).TrimEnd(Path.DirectorySeparatorChar));
        // The saved beam, as searched: never narrower than k.
        IReadOnlyList<int?> settings = graph is not null ? expansions.Count > 0 ? [.. expansions.Select(e => (int?)e)] : [Math.Max(graph.ExpansionSearch, SearchedCandidates)]
            : lists is not null ? probes.Count > 0 ? [.. probes.Select(p => (int?)p)] : [lists.Probes]
            : [null];
        var rows = new List<HotPathBenchmarkRow>();
        foreach (var setting in settings)
        {
            if (setting is { } value)
            {
                if (graph is not null)
                {
                    graph.ExpansionSearch = value;
                }
                else
                {
                    lists!.Probes = value;
                }
            }
            var what = setting is { } shown ? graph is not null ? $" at ef {shown}" : $" at {shown} probes" : "";
            var (mean, error, allocated, collections, measurements) = Slate(model, dry, log);
            log($"bench hot-path: stage pass of {stageUsers} users{what}, then an exact scan for recall");
            var (stages, recall) = StagePass.Measure(model, stageUsers);
            log($"bench hot-path: stage means (ms): {string.Join(", ", stages.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value:F3}")))}");
            var row = new HotPathBenchmarkRow(
                name, model.Index.Kind, graph is not null ? setting : null, lists is not null ? setting : null, mean, error, allocated, collections, measurements,
                Stage(stages, "user_vector"), Stage(stages, "retrieval"), Stage(stages, "sources"), Stage(stages, "ranking"),
                Math.Round(recall, 4), stageUsers);
            log(string.Create(CultureInfo.InvariantCulture, $"bench hot-path: {row.MeanMs} ms per slate (± {row.StandardErrorMs}), {row.AllocatedKbPerSlate:N1} KB allocated; retrieval {row.RetrievalMs} ms + ranking {row.RankingMs} ms, recall@{SearchedCandidates} {row.Recall}"));
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>
    /// Refuses a stage pass without users, and a beam narrower than the candidates searched for:
    /// the graph searches with a beam of at least the k asked for, so a smaller --ef would measure
    /// k under another name.
    /// </summary>
    public static void CheckBeams(IReadOnlyList<int> expansions, int stageUsers)
    {
        if (stageUsers < 1 || expansions.Any(e => e < SearchedCandidates))
        {
            throw new ArgumentException($"bench hot-path: --users ({stageUsers}) must be at least 1 and every --ef ({string.Join(",", expansions)}) at least the {SearchedCandidates} candidates searched for (the beam is never narrower than k)");
        }
    }

    private static double Stage(IReadOnlyDictionary<string, double> stages, string stage) => Math.Round(stages.GetValueOrDefault(stage), 3);

    private static (double MeanMs, double StandardErrorMs, double AllocatedKb, int Gen0Collections, int Measurements) Slate(ServingModel model, bool dry, Action<string> log)
    {
        RecommendationHotPath.Model = model;
        var output = new StringBuilder();
        var artifacts = Directory.CreateTempSubdirectory("funnel-hot-path-");
        try
        {
            var job = (dry ? Job.Dry : Job.ShortRun).WithToolchain(InProcessEmitToolchain.Instance);
            var config = ManualConfig.CreateEmpty()
                .AddJob(job)
                .AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default)
                .AddLogger(new StringLogger(output))
                .WithArtifactsPath(artifacts.FullName)
                // The suite runs the Debug build: the figures in docs/benchmarks.md come from Release.
                .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.DisableLogFile);
            log($"bench hot-path: {(dry ? "one dry run" : "BenchmarkDotNet's short job")} of a slate");
            var summary = BenchmarkRunner.Run<RecommendationHotPath>(config);
            var report = summary.Reports.SingleOrDefault();
            if (report?.ResultStatistics is not { } statistics || !report.Success)
            {
                var last = output.ToString().Split('\n').Where(l => l.Contains("Exception", StringComparison.Ordinal) || l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(3);
                throw new InvalidOperationException($"the hot-path benchmark produced no result: {string.Join(" | ", summary.ValidationErrors.Select(e => e.Message).Concat(last))}");
            }
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0;
            return (Math.Round(statistics.Mean / 1e6, 3), Math.Round(statistics.StandardError / 1e6, 3), Math.Round(allocated / 1024.0, 1), report.GcStats.Gen0Collections, statistics.N);
        }
        finally
        {
            RecommendationHotPath.Model = null;
            artifacts.Delete(recursive: true);
        }
    }

    /// <summary>Keeps BenchmarkDotNet's log out of standard output (which --json keeps for the document) and at hand for an error.</summary>
    private sealed class StringLogger(StringBuilder output) : ILogger
    {
        public string Id => nameof(StringLogger);

        public int Priority => 0;

        public void Flush()
        {
        }

        public void Write(LogKind logKind, string text) => output.Append(text);

        public void WriteLine() => output.AppendLine();

        public void WriteLine(LogKind logKind, string text) => output.AppendLine(text);
    }
}

using System.Globalization;
using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Funnel.Benchmarks.HotPath;

/// <summary>
/// funnel bench hot-path: <see cref="RecommendationHotPath"/> under BenchmarkDotNet, in this process
/// (the model and libtorch are loaded once), with its memory diagnoser. <c>Dry</c> runs the
/// benchmark once, as the test suite does so that it cannot rot; the figures come from the default
/// short job.
/// </summary>
public static class HotPathBenchmark
{
    /// <summary>Measures one slate served from <paramref name="modelFolder"/>.</summary>
    public static HotPathBenchmarkRow Run(string modelFolder, bool dry, Action<string> log)
    {
        RecommendationHotPath.ModelFolder = modelFolder;
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
            log($"bench hot-path: {(dry ? "one dry run" : "BenchmarkDotNet's short job")} of a slate from {modelFolder}");
            var summary = BenchmarkRunner.Run<RecommendationHotPath>(config);
            var report = summary.Reports.SingleOrDefault();
            if (report?.ResultStatistics is not { } statistics || !report.Success)
            {
                var last = output.ToString().Split('\n').Where(l => l.Contains("Exception", StringComparison.Ordinal) || l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(3);
                throw new InvalidOperationException($"the hot-path benchmark produced no result: {string.Join(" | ", summary.ValidationErrors.Select(e => e.Message).Concat(last))}");
            }
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0;
            var row = new HotPathBenchmarkRow(
                Path.GetFileName(Path.GetFullPath(modelFolder).TrimEnd(Path.DirectorySeparatorChar)),
                Math.Round(statistics.Mean / 1e6, 3),
                Math.Round(statistics.StandardError / 1e6, 3),
                Math.Round(allocated / 1024.0, 1),
                report.GcStats.Gen0Collections,
                statistics.N);
            log(string.Create(CultureInfo.InvariantCulture, $"bench hot-path: {row.MeanMs} ms per slate (± {row.StandardErrorMs}), {row.AllocatedKbPerSlate:N1} KB allocated per slate, {row.Measurements} measurement(s)"));
            return row;
        }
        finally
        {
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

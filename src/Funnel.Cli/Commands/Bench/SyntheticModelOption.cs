using System.CommandLine;
using Funnel.Benchmarks.Serving;
using Funnel.Candidates.Inference;
using Funnel.Cli.Hosting;

namespace Funnel.Cli.Commands.Bench;

/// <summary>--synthetic-videos of the benchmarks that serve a model: an untrained paper-sized model written into --model first.</summary>
internal static class SyntheticModelOption
{
    /// <summary>The option.</summary>
    public static Option<int?> Create() => new("--synthetic-videos") { Description = "First write an untrained paper-sized model of this many videos (HNSW index) into --model, unless it already holds a model" };

    /// <summary>Writes the synthetic model of <paramref name="videos"/> videos into <paramref name="folder"/> unless none was asked for or the folder holds a model.</summary>
    public static void WriteIfMissing(string folder, int? videos)
    {
        if (videos is { } count && !File.Exists(Path.Combine(folder, CandidateModelManifest.FileName)))
        {
            SyntheticServingModel.Write(folder, count, ProgressLog.Line);
        }
    }
}

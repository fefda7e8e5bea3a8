using System.CommandLine;
using Funnel.Benchmarks.Serving;
using Funnel.Candidates.Inference;
using Funnel.Candidates.Model;
using Funnel.Cli.Hosting;
using Funnel.Retrieval;
using Funnel.Retrieval.Hnsw;

namespace Funnel.Cli.Commands.Bench;

/// <summary>
/// --synthetic-videos of the benchmarks that serve a model: an untrained paper-sized model written
/// into --model first, with --synthetic-output, --synthetic-index and --synthetic-precision choosing
/// its output, its video index and how an HNSW graph stores vectors.
/// </summary>
internal sealed class SyntheticModelOption
{
    private readonly Option<int?> videos = new("--synthetic-videos") { Description = "First write an untrained paper-sized model of this many videos (HNSW index) into --model, unless it already holds a model" };
    private readonly Option<string> output = new("--synthetic-output") { Description = "The synthetic model's output: dot (the paper's inner product) or cosine (tempered cosine, a cosine graph)", DefaultValueFactory = _ => "dot" };
    private readonly Option<string> index = new("--synthetic-index") { Description = "The synthetic model's video index: hnsw (a graph, minutes per million videos) or ivf (k-means lists, seconds)", DefaultValueFactory = _ => "hnsw" };
    private readonly Option<string> precision = new("--synthetic-precision") { Description = "How the synthetic model's HNSW graph stores vectors: f32, f16 or i8", DefaultValueFactory = _ => "f32" };

    /// <summary>The options, to list among a command's.</summary>
    public IEnumerable<Option> Options => [videos, output, index, precision];

    /// <summary>What was asked: null when no synthetic model was.</summary>
    public SyntheticModelRequest? Bind(ParseResult parse)
    {
        if (parse.GetValue(videos) is not { } count)
        {
            return null;
        }
        var kind = parse.GetRequiredValue(output) switch
        {
            "dot" => OutputKind.DotProduct,
            "cosine" => OutputKind.Cosine,
            var other => throw new ArgumentException($"--synthetic-output: expected dot or cosine, got '{other}'"),
        };
        var stored = parse.GetRequiredValue(precision) switch
        {
            "f32" => VectorPrecision.F32,
            "f16" => VectorPrecision.F16,
            "i8" => VectorPrecision.I8,
            var other => throw new ArgumentException($"--synthetic-precision: expected f32, f16 or i8, got '{other}'"),
        };
        var indexKind = OptionParsing.Choice("--synthetic-index", parse.GetRequiredValue(index), new Dictionary<string, IndexKind> { ["hnsw"] = IndexKind.Hnsw, ["ivf"] = IndexKind.Ivf });
        if (indexKind == IndexKind.Ivf && stored != VectorPrecision.F32)
        {
            throw new ArgumentException($"--synthetic-precision {parse.GetRequiredValue(precision)} sets how an HNSW graph stores vectors; an inverted file keeps f32 vectors and 8-bit codes");
        }
        return new SyntheticModelRequest(count, kind, indexKind, stored);
    }

    /// <summary>
    /// Refuses a search setting the synthetic model about to be written could not take (--ef for an
    /// inverted file, --probes for a graph) before the minutes of writing it, not after.
    /// </summary>
    public static void CheckSettings(string folder, SyntheticModelRequest? request, bool expansions, bool probes)
    {
        if (request is not { } asked || File.Exists(Path.Combine(folder, CandidateModelManifest.FileName)))
        {
            return;
        }
        if (expansions && asked.Index != IndexKind.Hnsw)
        {
            throw new ArgumentException("--ef sets an HNSW graph's search beam; the synthetic model's index is ivf (--synthetic-index): use --probes");
        }
        if (probes && asked.Index != IndexKind.Ivf)
        {
            throw new ArgumentException("--probes sets how many lists an IVF index scans; the synthetic model's index is hnsw (--synthetic-index): use --ef or --synthetic-index ivf");
        }
    }

    /// <summary>Writes the synthetic model of <paramref name="request"/> into <paramref name="folder"/> unless none was asked for or the folder holds a model.</summary>
    public static void WriteIfMissing(string folder, SyntheticModelRequest? request)
    {
        if (request is { } asked && !File.Exists(Path.Combine(folder, CandidateModelManifest.FileName)))
        {
            SyntheticServingModel.Write(folder, asked.Videos, ProgressLog.Line, asked.Output, asked.Index, asked.Precision);
        }
    }
}

/// <summary>A synthetic serving model to write: its corpus size, output and graph precision.</summary>
/// <param name="Videos">Videos in the corpus.</param>
/// <param name="Output">The candidate network's output.</param>
/// <param name="Index">The video index: an HNSW graph or an inverted file.</param>
/// <param name="Precision">How the HNSW graph stores vectors.</param>
internal sealed record SyntheticModelRequest(int Videos, OutputKind Output, IndexKind Index, VectorPrecision Precision);

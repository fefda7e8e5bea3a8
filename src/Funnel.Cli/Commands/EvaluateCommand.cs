using System.CommandLine;
using Funnel.Cli.Hosting;
using Funnel.Data.Examples;
using Funnel.Evaluation;
using Funnel.Retrieval;
using Funnel.Runs.Candidates;
using Funnel.Serving.Recommendations;

namespace Funnel.Cli.Commands;

/// <summary>funnel evaluate: a model and the baselines on the same split, over the full corpus; or the ablation, or the freshness figure.</summary>
internal sealed class EvaluateCommand : TypedCommand<EvaluateCommand.Arguments>
{
    private readonly Option<string> data = CommonOptions.RequiredPath("--data", "Dataset folder the model was trained on");
    private readonly Option<string> model = CommonOptions.RequiredPath("--model", "Model folder");
    private readonly Option<string?> split = new("--split") { Description = "temporal, leave-last-out or last-interaction; must be the model's own (default)" };
    private readonly Option<string> ks = new("--k") { Description = "Cut-offs", DefaultValueFactory = _ => string.Join(',', RetrievalEvaluationOptions.DefaultKs) };
    private readonly Option<bool> ablation = new("--ablation") { Description = "Instead: train depth 0-4 × feature sets (and a cosine output) with the model's options; report in MODEL/ablation/" };
    private readonly Option<int> ablationEpochs = new("--ablation-epochs") { Description = "Most epochs per ablation variant", DefaultValueFactory = _ => 4 };
    private readonly Option<bool> freshness = new("--freshness") { Description = "Instead: the paper's Figure 4, recommendations by video age with and without example age; report in MODEL/freshness/" };
    private readonly Option<string?> index = new("--index") { Description = "Also serve the model through these indexes (exact, hnsw, ivf, auto) and report their recall of the exact top-K" };
    private readonly Option<bool> funnel = new("--funnel") { Description = "Also the whole funnel: the final slates of the folder's two stages (retrieval, the ranker, top K) on the same test queries, as model funnel-slate" };
    private readonly Option<string?> sources = new("--sources") { Description = $"With --funnel: the candidate sources of each slate, any of {CandidateSources.Syntax} (default {new CandidateSources()})" };
    private readonly Option<string> baselines = new("--baselines") { Description = $"Baselines fitted and scored beside the model: any of {string.Join(",", CandidateEvaluationRun.Baselines)}, or none (EASE takes most of the time on a large corpus)", DefaultValueFactory = _ => string.Join(',', CandidateEvaluationRun.Baselines) };
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What is asked instead of the evaluation table.</summary>
    internal enum Report
    {
        /// <summary>The model and the baselines' metrics.</summary>
        Metrics,

        /// <summary>The ablation (Figure 6).</summary>
        Ablation,

        /// <summary>The freshness figure (Figure 4).</summary>
        Freshness,
    }

    /// <summary>What the command was asked.</summary>
    internal sealed record Arguments(string Data, string Model, SplitKind? Split, int[] Cutoffs, Report Report, int AblationEpochs, IndexKind[] Indexes, CandidateSources? Slate, IReadOnlySet<string> Baselines, bool Json);

    protected override string Name => "evaluate";

    protected override string Description => "Retrieval metrics (HR, Recall, NDCG, MAP @K) of the model and the popularity, ItemKNN and EASE baselines on the test queries";

    protected override IEnumerable<Option> Options => [data, model, split, ks, ablation, ablationEpochs, freshness, index, funnel, sources, baselines, json];

    protected override Arguments Bind(ParseResult parse)
    {
        var cutoffs = OptionParsing.IntList("--k", parse.GetRequiredValue(ks));
        if (cutoffs.Length == 0 || cutoffs.Any(k => k < 1))
        {
            throw new ArgumentException($"--k: expected positive cut-offs, got '{parse.GetValue(ks)}'");
        }
        var report = parse.GetValue(freshness) ? Report.Freshness : parse.GetValue(ablation) ? Report.Ablation : Report.Metrics;
        return new Arguments(
            parse.GetRequiredValue(data),
            parse.GetRequiredValue(model),
            parse.GetValue(split) is { } name ? SplitOptions.ParseKind(name) : null,
            cutoffs,
            report,
            parse.GetValue(ablationEpochs),
            [.. OptionParsing.Names(parse.GetValue(index) ?? "").Select(name => OptionParsing.Choice("--index", name, OptionParsing.IndexKinds))],
            parse.GetValue(funnel) ? CandidateSources.Parse(parse.GetValue(sources) ?? "", new CandidateSources()) : parse.GetValue(sources) is null ? null : throw new ArgumentException("--sources applies to the whole funnel: add --funnel"),
            parse.GetRequiredValue(baselines) == "none" ? new HashSet<string>() : OptionParsing.Names(parse.GetRequiredValue(baselines)).ToHashSet(),
            parse.GetValue(json));
    }

    protected override async Task<int> RunAsync(Arguments arguments, CancellationToken cancellation)
    {
        switch (arguments.Report)
        {
            case Report.Freshness:
                var shares = await FreshnessRun.RunAsync(arguments.Data, arguments.Model, arguments.Cutoffs.Max(), log: ProgressLog.Line, cancellation: cancellation);
                await PrintAsync(arguments, new { model = arguments.Model, rows = shares }, Path.Combine(arguments.Model, "freshness", "freshness.md"), cancellation);
                break;
            case Report.Ablation:
                var rows = await AblationRun.RunAsync(arguments.Data, arguments.Model, arguments.AblationEpochs, arguments.Cutoffs.Max(), ProgressLog.Line, cancellation);
                await PrintAsync(arguments, new { model = arguments.Model, rows }, Path.Combine(arguments.Model, "ablation", "ablation.md"), cancellation);
                break;
            default:
                var report = await CandidateEvaluationRun.RunAsync(arguments.Data, arguments.Model, arguments.Cutoffs, arguments.Split, arguments.Indexes, arguments.Slate, ProgressLog.Line, arguments.Baselines, cancellation);
                if (arguments.Json)
                {
                    JsonOutput.Write(report);
                }
                else
                {
                    Console.Write(report.ToMarkdown(arguments.Cutoffs));
                }
                break;
        }
        return ExitCodes.Success;
    }

    /// <summary>The JSON document, or the report the run wrote.</summary>
    private static async Task PrintAsync<T>(Arguments arguments, T document, string markdown, CancellationToken cancellation)
    {
        if (arguments.Json)
        {
            JsonOutput.Write(document);
        }
        else
        {
            Console.Write(await File.ReadAllTextAsync(markdown, cancellation));
        }
    }
}

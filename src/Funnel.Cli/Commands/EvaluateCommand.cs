using System.CommandLine;
using Funnel.Cli.Hosting;
using Funnel.Data.Examples;
using Funnel.Evaluation;
using Funnel.Runs.Candidates;

namespace Funnel.Cli.Commands;

/// <summary>funnel evaluate: a model and the baselines on the same split, over the full corpus.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var data = CommonOptions.RequiredPath("--data", "Dataset folder the model was trained on");
        var model = CommonOptions.RequiredPath("--model", "Model folder");
        var split = new Option<string?>("--split") { Description = "temporal or leave-last-out; must be the model's own (default)" };
        var ks = new Option<string>("--k") { Description = "Cut-offs", DefaultValueFactory = _ => string.Join(',', RetrievalEvaluationOptions.DefaultKs) };
        var ablation = new Option<bool>("--ablation") { Description = "Instead: train depth 0-4 × feature sets (and a cosine output) with the model's options; report in MODEL/ablation/" };
        var ablationEpochs = new Option<int>("--ablation-epochs") { Description = "Most epochs per ablation variant", DefaultValueFactory = _ => 4 };
        var freshness = new Option<bool>("--freshness") { Description = "Instead: the paper's Figure 4, recommendations by video age with and without example age; report in MODEL/freshness/" };
        var index = new Option<string?>("--index") { Description = "Also serve the model through these indexes (exact, hnsw, auto) and report their recall of the exact top-K" };
        var json = CommonOptions.Json();
        var command = new Command("evaluate", "Retrieval metrics (HR, Recall, NDCG, MAP @K) of the model and the popularity, ItemKNN and EASE baselines on the test queries") { data, model, split, ks, ablation, ablationEpochs, freshness, index, json };
        command.Subcommands.Add(RankingCommands.Evaluate());
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var cutoffs = OptionParsing.IntList("--k", parse.GetValue(ks)!);
            if (cutoffs.Length == 0 || cutoffs.Any(k => k < 1))
            {
                throw new ArgumentException($"--k: expected positive cut-offs, got '{parse.GetValue(ks)}'");
            }
            if (parse.GetValue(freshness))
            {
                var shares = await FreshnessRun.RunAsync(parse.GetValue(data)!, parse.GetValue(model)!, cutoffs.Max(), log: ProgressLog.Line, cancellation: cancellation);
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(new { model = parse.GetValue(model), rows = shares });
                }
                else
                {
                    Console.Write(await File.ReadAllTextAsync(Path.Combine(parse.GetValue(model)!, "freshness", "freshness.md"), cancellation));
                }
                return ExitCodes.Success;
            }
            if (parse.GetValue(ablation))
            {
                var rows = await AblationRun.RunAsync(parse.GetValue(data)!, parse.GetValue(model)!, parse.GetValue(ablationEpochs), cutoffs.Max(), ProgressLog.Line, cancellation);
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(new { model = parse.GetValue(model), rows });
                }
                else
                {
                    Console.Write(await File.ReadAllTextAsync(Path.Combine(parse.GetValue(model)!, "ablation", "ablation.md"), cancellation));
                }
                return ExitCodes.Success;
            }
            SplitKind? kind = parse.GetValue(split) is { } name ? SplitOptions.ParseKind(name) : null;
            var indexes = (parse.GetValue(index) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(name => OptionParsing.Choice("--index", name, OptionParsing.IndexKinds))
                .ToArray();
            var report = await CandidateEvaluationRun.RunAsync(parse.GetValue(data)!, parse.GetValue(model)!, cutoffs, kind, indexes, ProgressLog.Line, cancellation);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(report);
            }
            else
            {
                Console.Write(report.ToMarkdown(cutoffs));
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}

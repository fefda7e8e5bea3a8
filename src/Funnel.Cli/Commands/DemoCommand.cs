using System.CommandLine;
using System.Globalization;
using System.Text;
using Funnel.Candidates.Evaluation;
using Funnel.Candidates.Model;
using Funnel.Candidates.Training;
using Funnel.Cli.Demo;
using Funnel.Cli.Hosting;
using Funnel.Data;
using Funnel.Data.Examples;
using Funnel.Data.Import;
using Funnel.Data.Statistics;
using Funnel.Data.Synthetic;
using Funnel.Ranking.Evaluation;
using Funnel.Ranking.Training;

namespace Funnel.Cli.Commands;

/// <summary>
/// funnel demo: the whole pipeline on the embedded defaults: import MovieLens 100K (when the shared
/// datasets are present), generate a small synthetic world, report the datasets and the training
/// examples the paper's rules make of them, train the candidate network (and its index) and
/// evaluate it against the baselines, train and evaluate the ranker, start the service, replay a
/// few users' sessions through its HTTP API, and write report.md and report.html.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The synthetic world of the demo: a couple of seconds to generate.</summary>
    public static readonly WorldOptions DemoWorld = new(Users: 3_000, Videos: 8_000, Days: 28, Seed: 1);

    /// <summary>A small network so the demo trains in well under a minute on two cores.</summary>
    public static readonly NetworkShape DemoNetwork = new(64, [256, 128, 64]);

    /// <summary>The demo's training budget.</summary>
    public static readonly CandidateTrainingOptions DemoTraining = new(Epochs: 4, Softmax: new SampledSoftmaxOptions(Negatives: 1_024));

    /// <summary>The demo's ranker: one hidden layer, which did as well as the paper's three on the synthetic world (docs/results.md, Table 1).</summary>
    public static readonly RankingRunOptions DemoRanking = new(new RankingTrainingOptions(Epochs: 2), Tower: [256]);

    /// <summary>Users whose sessions the demo replays through the service.</summary>
    public const int ReplayedUsers = 3;

    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for the demo's datasets and report", DefaultValueFactory = _ => "funnel-demo" };
        var datasets = new Option<string?>("--datasets") { Description = "Folder holding ml-100k/ (default: FUNNEL_DATASETS, else ../shared/datasets found above the current folder)" };
        var seed = CommonOptions.Seed();
        var command = new Command("demo", "Run the pipeline on the embedded defaults and write a report") { output, datasets, seed };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var folder = Directory.CreateDirectory(parse.GetValue(output)!).FullName;
            var examples = new ExampleOptions(Seed: parse.GetValue(seed));
            var report = new StringBuilder("# Funnel demo\n\n");
            report.Append(CultureInfo.InvariantCulture, $"Generated {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC with seed {examples.Seed}; temporal split (last 10% of watches for test, 10% before for validation).\n\n");

            var movieLens = SharedDatasets.Find(parse.GetValue(datasets), "ml-100k");
            if (movieLens is null)
            {
                ProgressLog.Line("demo: ml-100k not found (set --datasets or FUNNEL_DATASETS); skipping it");
            }
            else
            {
                ProgressLog.Line($"demo: importing {movieLens}");
                await MovieLensImporter.ImportAsync(movieLens, Path.Combine(folder, "ml-100k"), new ImportOptions(Overwrite: true), cancellation);
                report.Append(await DescribeAsync(Path.Combine(folder, "ml-100k"), examples, cancellation));
            }

            ProgressLog.Line($"demo: generating a synthetic world ({DemoWorld.Users:N0} users, {DemoWorld.Videos:N0} videos, {DemoWorld.Days} days)");
            var world = DemoWorld with { Seed = examples.Seed };
            await WorldGenerator.GenerateAsync(world, Path.Combine(folder, "synth"), overwrite: true, cancellation: cancellation);
            report.Append(await DescribeAsync(Path.Combine(folder, "synth"), examples, cancellation));

            ProgressLog.Line("demo: training the candidate network on the synthetic world");
            var model = Path.Combine(folder, "models", "synth");
            if (Directory.Exists(model))
            {
                // A demo run starts from scratch; `funnel train` is the command that resumes.
                Directory.Delete(model, recursive: true);
            }
            await CandidateTrainingRun.RunAsync(Path.Combine(folder, "synth"), model, new SplitOptions(), examples, DemoNetwork, DemoTraining with { Seed = examples.Seed }, progress: TrainCommand.Report, log: ProgressLog.Line, cancellation: cancellation);
            var evaluation = await CandidateEvaluationRun.RunAsync(Path.Combine(folder, "synth"), model, [10, 50], log: ProgressLog.Line, cancellation: cancellation);
            report.Append("## Candidate generation on the synthetic world\n\n");
            report.Append(CultureInfo.InvariantCulture, $"A {DemoNetwork.EmbeddingDimension}-d network ({string.Join("→", DemoNetwork.Tower!)}), {DemoTraining.Epochs} epochs, {DemoTraining.SoftmaxOptions.Negatives} sampled negatives, against the baselines on the same split (full-corpus ranking). Training curve: `models/synth/training/curve.png`.\n\n");
            report.Append(EvaluateCommand.Table(evaluation, [10, 50]));
            report.Append("\n![Candidate network training curve](models/synth/training/curve.png)\n\n");

            ProgressLog.Line("demo: training the ranker on the synthetic world's impressions (weighted logistic regression on watch time)");
            var synth = Path.Combine(folder, "synth");
            var ranking = DemoRanking with { Training = DemoRanking.Training with { Seed = examples.Seed } };
            await RankingTrainingRun.RunAsync(synth, model, ranking, ProgressLog.Line, cancellation);
            var rankingEvaluation = await RankingEvaluationRun.RunAsync(synth, model, ProgressLog.Line, cancellation);
            report.Append("## Ranking on the synthetic world\n\n");
            report.Append(CultureInfo.InvariantCulture, $"A ranker with one hidden layer of {ranking.EffectiveTower[0]} ReLUs, {ranking.Training.Epochs} epochs, on {rankingEvaluation.Impressions:N0} held-out impressions from {rankingEvaluation.HoldoutStartUtc:u} on; `candidate-score` orders the same impressions by the candidate network alone. Weighted per-user loss is the paper's metric (lower is better).\n\n");
            report.Append(RankingCommands.Table(rankingEvaluation.Results));
            report.Append("\n![Ranker training curve](models/synth/ranking-training/curve.png)\n\n");

            ProgressLog.Line("demo: starting the service and replaying sessions through its HTTP API");
            var replayed = await DemoReplay.RunAsync(synth, model, Path.Combine(folder, "state"), ReplayedUsers, ProgressLog.Line, cancellation);
            report.Append(DemoReport.Replays(replayed));

            var html = DemoReport.Write(folder, report.ToString());
            Console.Write(report.ToString());
            ProgressLog.Line($"demo: report written to {Path.Combine(folder, "report.md")} and {html}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task<string> DescribeAsync(string path, ExampleOptions examples, CancellationToken cancellation)
    {
        var report = await DatasetReport.BuildAsync(path, new SplitOptions(), examples, cancellation);
        return report.ToMarkdown() + "\n";
    }
}

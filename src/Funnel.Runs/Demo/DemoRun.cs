using System.Globalization;
using System.Text;
using Funnel.Candidates.Model;
using Funnel.Candidates.Softmax;
using Funnel.Candidates.Training;
using Funnel.Data.Examples;
using Funnel.Data.Import;
using Funnel.Data.Statistics;
using Funnel.Data.Synthetic;
using Funnel.Ranking.Training;
using Funnel.Runs.Candidates;
using Funnel.Runs.Ranking;
using Funnel.Torch;

namespace Funnel.Runs.Demo;

/// <summary>
/// <c>funnel demo</c>: the whole pipeline on the embedded defaults: import MovieLens 100K (when it
/// is found), generate a small synthetic world, report the datasets and the training examples the
/// paper's rules make of them, train the candidate network (and its index) and evaluate it against
/// the baselines, train and evaluate the ranker, start the service, replay a few users' sessions
/// through its HTTP API, and write report.md and report.html.
/// </summary>
public static class DemoRun
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

    /// <summary>The cut-offs of the demo's retrieval table.</summary>
    private static readonly int[] Cutoffs = [10, 50];

    /// <summary>Runs the demo into <paramref name="folder"/>; returns the report's Markdown (also written there with its HTML page).</summary>
    /// <param name="folder">Output folder (datasets, models, store, report).</param>
    /// <param name="movieLens">The ml-100k folder, or null to skip it.</param>
    /// <param name="seed">Seeds the world, the examples and every model.</param>
    /// <param name="progress">Training progress of the candidate network.</param>
    /// <param name="log">Progress lines.</param>
    /// <param name="cancellation">Stops between stages.</param>
    public static async Task<string> RunAsync(string folder, string? movieLens, int seed, Action<TrainingProgress>? progress, Action<string> log, CancellationToken cancellation)
    {
        folder = Directory.CreateDirectory(folder).FullName;
        var examples = new ExampleOptions(Seed: seed);
        var report = new StringBuilder("# Funnel demo\n\n");
        report.Append(CultureInfo.InvariantCulture, $"Generated {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC with seed {examples.Seed}; temporal split (last 10% of watches for test, 10% before for validation).\n\n");

        if (movieLens is null)
        {
            log("demo: ml-100k not found (set --datasets or FUNNEL_DATASETS); skipping it");
        }
        else
        {
            log($"demo: importing {movieLens}");
            await MovieLensImporter.ImportAsync(movieLens, Path.Combine(folder, "ml-100k"), new ImportOptions(Overwrite: true), cancellation).ConfigureAwait(false);
            report.Append(await DescribeAsync(Path.Combine(folder, "ml-100k"), examples, cancellation).ConfigureAwait(false));
        }

        log($"demo: generating a synthetic world ({DemoWorld.Users:N0} users, {DemoWorld.Videos:N0} videos, {DemoWorld.Days} days)");
        var synth = Path.Combine(folder, "synth");
        await WorldGenerator.GenerateAsync(DemoWorld with { Seed = seed }, synth, overwrite: true, cancellation: cancellation).ConfigureAwait(false);
        report.Append(await DescribeAsync(synth, examples, cancellation).ConfigureAwait(false));

        log("demo: training the candidate network on the synthetic world");
        var model = Path.Combine(folder, "models", "synth");
        if (Directory.Exists(model))
        {
            // A demo run starts from scratch; `funnel train` is the command that resumes.
            Directory.Delete(model, recursive: true);
        }
        await CandidateTrainingRun.RunAsync(synth, model, new SplitOptions(), examples, DemoNetwork, DemoTraining with { Seed = seed }, progress: progress, log: log, cancellation: cancellation).ConfigureAwait(false);
        var evaluation = await CandidateEvaluationRun.RunAsync(synth, model, Cutoffs, log: log, cancellation: cancellation).ConfigureAwait(false);
        report.Append("## Candidate generation on the synthetic world\n\n");
        report.Append(CultureInfo.InvariantCulture, $"A {DemoNetwork.EmbeddingDimension}-d network ({string.Join("→", DemoNetwork.Tower!)}), {DemoTraining.Epochs} epochs, {DemoTraining.SoftmaxOptions.Negatives} sampled negatives, against the baselines on the same split (full-corpus ranking). Training curve: `models/synth/training/curve.png`.\n\n");
        report.Append(evaluation.ToMarkdown(Cutoffs));
        report.Append("\n![Candidate network training curve](models/synth/training/curve.png)\n\n");

        log("demo: training the ranker on the synthetic world's impressions (weighted logistic regression on watch time)");
        var ranking = DemoRanking with { Training = DemoRanking.Training with { Seed = seed } };
        await RankingTrainingRun.RunAsync(synth, model, ranking, log, cancellation).ConfigureAwait(false);
        var rankingEvaluation = await RankingEvaluationRun.RunAsync(synth, model, log, cancellation).ConfigureAwait(false);
        report.Append("## Ranking on the synthetic world\n\n");
        report.Append(CultureInfo.InvariantCulture, $"A ranker with one hidden layer of {ranking.EffectiveTower[0]} ReLUs, {ranking.Training.Epochs} epochs, on {rankingEvaluation.Impressions:N0} held-out impressions from {rankingEvaluation.HoldoutStartUtc:u} on; `candidate-score` orders the same impressions by the candidate network alone. Weighted per-user loss is the paper's metric (lower is better).\n\n");
        report.Append(RankingTable.Markdown(rankingEvaluation.Results));
        report.Append("\n![Ranker training curve](models/synth/ranking-training/curve.png)\n\n");

        log("demo: starting the service and replaying sessions through its HTTP API");
        var replayed = await DemoReplay.RunAsync(synth, model, Path.Combine(folder, "state"), ReplayedUsers, log, cancellation).ConfigureAwait(false);
        report.Append(DemoReport.Replays(replayed));

        var markdown = report.ToString();
        var html = DemoReport.Write(folder, markdown);
        log($"demo: report written to {Path.Combine(folder, "report.md")} and {html}");
        return markdown;
    }

    private static async Task<string> DescribeAsync(string path, ExampleOptions examples, CancellationToken cancellation)
    {
        var report = await DatasetReport.BuildAsync(path, [new SplitOptions()], examples, cancellation).ConfigureAwait(false);
        return report.ToMarkdown() + "\n";
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Funnel.Candidates.Model;
using Funnel.Candidates.Training;
using Funnel.Core;
using Funnel.Data.Examples;
using Funnel.Data.Storage;

namespace Funnel.Runs.Candidates;

/// <summary>One finished trial of a search.</summary>
/// <param name="Trial">0-based trial number (0 is the default recipe).</param>
/// <param name="Recipe">What was trained.</param>
/// <param name="Validation">Best validation NDCG@10 over its epochs.</param>
/// <param name="BestEpoch">The epoch that reached it.</param>
/// <param name="Epochs">Epochs run (early stopping included).</param>
/// <param name="Seconds">Wall-clock time of the trial.</param>
/// <param name="FullSoftmax">Whether its vocabulary was small enough for the full softmax (and dense tables).</param>
public sealed record TuneTrial(int Trial, TuneRecipe Recipe, double Validation, int BestEpoch, int Epochs, double Seconds, bool FullSoftmax);

/// <summary>What `funnel tune` found (its --json document, also MODEL/tune/trials.json).</summary>
/// <param name="Dataset">Dataset name.</param>
/// <param name="Split">The split's name.</param>
/// <param name="Seed">The search's (and every trial's) seed.</param>
/// <param name="Metric">The validation metric trials are compared by.</param>
/// <param name="K">Its cut-off.</param>
/// <param name="Trials">Every trial, in the order run.</param>
/// <param name="Chosen">The trial whose recipe the model folder holds.</param>
public sealed record TuneReport(string Dataset, string Split, int Seed, string Metric, int K, IReadOnlyList<TuneTrial> Trials, int Chosen)
{
    /// <summary>The trials as a Markdown table, the chosen one in bold.</summary>
    public string ToMarkdown()
    {
        var lines = new StringBuilder();
        lines.Append(CultureInfo.InvariantCulture, $"# funnel tune: {Dataset}, {Split} split, seed {Seed}\n\n");
        lines.Append(CultureInfo.InvariantCulture, $"Trials compared by validation {Metric}@{K} (the test queries are not read); the chosen trial's network is this model folder's.\n\n");
        lines.Append("| trial | recipe | validation | best epoch / epochs | seconds |\n|---:|---|---:|---:|---:|\n");
        foreach (var t in Trials)
        {
            var mark = t.Trial == Chosen ? "**" : "";
            lines.Append(CultureInfo.InvariantCulture, $"| {t.Trial} | `{t.Recipe.Flags()}` | {mark}{t.Validation:F4}{mark} | {t.BestEpoch} / {t.Epochs} | {t.Seconds:F0} |\n");
        }
        return lines.ToString();
    }
}

/// <summary>
/// `funnel tune`: a seeded search of the candidate recipe over <see cref="TuneSpace"/> on the
/// validation split. Each trial trains with early stopping on validation NDCG@10; the best trial's
/// network (its kept epoch) becomes the model folder, which keeps the trials in MODEL/tune. Test
/// queries are read only by that model's own report, after the choice.
/// </summary>
public static class TuneRun
{
    /// <summary>The sub-folder of the model holding the trials and the chosen recipe.</summary>
    public const string TuneFolder = "tune";

    /// <summary>Validation figure of every trial.</summary>
    public const string Metric = MetricNames.Ndcg;

    /// <summary>Its cut-off.</summary>
    public const int K = 10;

    /// <summary>Runs the trials only (no model folder): what the search compares, for callers and tests.</summary>
    public static async Task<TuneReport> SearchAsync(string data, SplitOptions split, int trials, int seed, int epochs, Action<string>? log = null, CancellationToken cancellation = default)
    {
        var search = await SearchCoreAsync(data, split, trials, seed, epochs, log, cancellation).ConfigureAwait(false);
        search.Leader.Dispose();
        return search.Report;
    }

    /// <summary>Searches, then writes the chosen trial's trained network into <paramref name="model"/> with MODEL/tune (trials.md, trials.json).</summary>
    public static async Task<(TuneReport Report, Funnel.Candidates.Inference.CandidateModelManifest Model)> RunAsync(string data, string model, SplitOptions split, int trials, int seed, int epochs, Action<string>? log = null, CancellationToken cancellation = default)
    {
        var search = await SearchCoreAsync(data, split, trials, seed, epochs, log, cancellation).ConfigureAwait(false);
        using var leader = search.Leader;
        var report = search.Report;
        log?.Invoke($"tune: writing the chosen recipe's network (trial {report.Chosen}) into {model}");
        var manifest = CandidateTrainingRun.Publish(search.Dataset, data, model, split, report.Trials[report.Chosen].Recipe.Examples(seed), search.LeaderSplit, leader, Funnel.Retrieval.IndexKind.Auto, log);
        var folder = Path.Combine(model, TuneFolder);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "trials.md"), report.ToMarkdown());
        AtomicFile.WriteAllText(Path.Combine(folder, "trials.json"), JsonSerializer.Serialize(report, FunnelJson.Files));
        return (report, manifest);
    }

    private sealed record Search(TuneReport Report, Dataset Dataset, CandidateTrainer Leader, DataSplit LeaderSplit);

    // Keeps the leading trial's trainer (its kept weights) so the chosen recipe is not trained twice.
    private static async Task<Search> SearchCoreAsync(string data, SplitOptions split, int trials, int seed, int epochs, Action<string>? log, CancellationToken cancellation)
    {
        var dataset = await Dataset.OpenAsync(data, cancellation).ConfigureAwait(false);
        var timelines = await TimelineLoader.LoadAsync(dataset, cancellation).ConfigureAwait(false);
        var recipes = TuneSpace.Trials(trials, seed);
        var splits = new Dictionary<ExampleOptions, DataSplit>();
        var done = new List<TuneTrial>();
        CandidateTrainer? leader = null;
        DataSplit? leaderSplit = null;
        TuneTrial? leading = null;
        var clock = Stopwatch.StartNew();
        try
        {
            foreach (var (recipe, i) in recipes.Select((r, i) => (r, i)))
            {
                cancellation.ThrowIfCancellationRequested();
                var examples = recipe.Examples(seed);
                // Trials whose examples are built alike share one split.
                if (!splits.TryGetValue(examples, out var trialSplit))
                {
                    trialSplit = DataSplit.Create(timelines, split, examples);
                    splits[examples] = trialSplit;
                }
                var training = recipe.Training(seed, epochs);
                var full = training.UsesFullSoftmax(trialSplit.Videos.Rows);
                var network = CandidateNetworkOptions.ForSplit(trialSplit, recipe.Shape(full));
                var trialClock = Stopwatch.StartNew();
                var trainer = new CandidateTrainer(trialSplit, network, training);
                // Epoch lines only: a trial's step lines would bury the trials' summaries.
                var history = trainer.Train(
                    p =>
                    {
                        if (p.Finished is not null)
                        {
                            log?.Invoke(p.Describe($"tune: trial {i + 1}/{recipes.Count}", $"validation {Metric}@{K}"));
                        }
                    },
                    cancellation: cancellation);
                var best = trainer.BestEpoch;
                var trial = new TuneTrial(i, recipe, best == 0 ? double.NaN : history[best - 1].Validation, best, history.Count, trialClock.Elapsed.TotalSeconds, full);
                done.Add(trial);
                // Ties go to the earlier trial (the default recipe first); a trial that never validated leads only if nothing did.
                if (leading is null || (!double.IsNaN(trial.Validation) && (double.IsNaN(leading.Validation) || trial.Validation > leading.Validation)))
                {
                    leader?.Dispose();
                    (leader, leaderSplit, leading) = (trainer, trialSplit, trial);
                }
                else
                {
                    trainer.Dispose();
                }
                var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / done.Count * (recipes.Count - done.Count));
                log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"tune: trial {i + 1}/{recipes.Count} ({recipe.Flags()}): validation {Metric}@{K} {trial.Validation:F4} at epoch {best}/{history.Count}, {trial.Seconds:F0} s; best so far trial {leading.Trial} {leading.Validation:F4}; ETA {eta:hh\\:mm\\:ss}"));
            }
        }
        catch
        {
            leader?.Dispose();
            throw;
        }
        var report = new TuneReport(dataset.Manifest.Name, SplitOptions.Name(split.Kind), seed, Metric, K, done, leading!.Trial);
        return new Search(report, dataset, leader!, leaderSplit!);
    }
}

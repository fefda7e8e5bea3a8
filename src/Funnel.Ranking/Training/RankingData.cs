using System.Diagnostics;
using System.Globalization;
using Funnel.Candidates.Inference;
using Funnel.Data.Examples;
using Funnel.Data.Model;
using Funnel.Data.Storage;
using Funnel.Evaluation.Ranking;
using Funnel.Ranking.Examples;
using Funnel.Ranking.Features;
using Funnel.Ranking.Model;
using Funnel.Ranking.Sources;

namespace Funnel.Ranking.Training;

/// <summary>
/// A dataset's impressions made ready for the ranker: examples with their replayed state, the
/// candidate model's nominations when the model folder has one, and the later-time holdout.
/// Training fits the feature space on the training part only; evaluation reuses a saved one.
/// </summary>
public sealed class RankingData
{
    private readonly (SplitOptions Split, ExampleOptions Examples)? candidateSplit;
    private DataSplit? split;
    private WatchTables? watchTables;
    private readonly string? listWeightUnit;

    private RankingData(Dataset dataset, RankingExample[] examples, int[] train, int[] test, long cutoff, string? candidateVersion, (SplitOptions, ExampleOptions)? candidateSplit, DataSplit? split, WatchTables? watchTables, string? listWeightUnit)
    {
        this.listWeightUnit = listWeightUnit;
        this.candidateSplit = candidateSplit;
        this.split = split;
        this.watchTables = watchTables;
        SourceFeatures = watchTables is not null;
        Dataset = dataset;
        Examples = examples;
        TrainRows = train;
        TestRows = test;
        HoldoutStart = DateTimeOffset.FromUnixTimeSeconds(cutoff);
        CandidateModelVersion = candidateVersion;
        TrainInputs = [.. train.Select(i => RankingInputs.From(examples[i], dataset))];
        TestInputs = [.. test.Select(i => RankingInputs.From(examples[i], dataset))];
        TrainClicked = [.. train.Select(i => examples[i].Clicked)];
        TrainWatchSeconds = [.. train.Select(i => examples[i].WatchSeconds)];
    }

    /// <summary>The dataset.</summary>
    public Dataset Dataset { get; }

    /// <summary>
    /// What a ranker trained with <paramref name="weighting"/> on these examples estimates with its
    /// odds: a click weighed by watch seconds estimates seconds; candidate lists from a log with
    /// completions but neither watch times nor durations weigh by completion (expected completion);
    /// clicks that all weigh 1 give click odds.
    /// </summary>
    public string ScoreUnit(ImpressionWeighting weighting) =>
        weighting == ImpressionWeighting.Unweighted ? ImpressionWeights.ClickOdds
        : listWeightUnit ?? ImpressionWeights.ScoreUnit(TrainClicked, TrainWatchSeconds, weighting);

    /// <summary>Every impression as an example, in log order.</summary>
    public IReadOnlyList<RankingExample> Examples { get; }

    /// <summary>Indices of the training examples.</summary>
    public IReadOnlyList<int> TrainRows { get; }

    /// <summary>Indices of the held-out examples.</summary>
    public IReadOnlyList<int> TestRows { get; }

    /// <summary>First time of the holdout.</summary>
    public DateTimeOffset HoldoutStart { get; }

    /// <summary>The candidate model that nominated the impressions, or null.</summary>
    public string? CandidateModelVersion { get; }

    /// <summary>
    /// Where each user's training side ends in the candidate model's split (Unix seconds), or null
    /// without a candidate model. The split is made from the log's timelines the first time it is asked
    /// for (candidate lists made it already), so a caller that does not need it does not read them.
    /// </summary>
    public async Task<Func<int, long>?> CandidateTrainingEndAsync(CancellationToken cancellation = default)
    {
        if (split is null && candidateSplit is { } options)
        {
            split = await SplitAsync(Dataset, options, cancellation).ConfigureAwait(false);
        }
        return split is null ? null : split.TrainingEndOf;
    }

    /// <summary>Whether the examples carry the other sources' signals.</summary>
    public bool SourceFeatures { get; }

    /// <summary>The continuous features available: with the candidate score and rank when a candidate model was given, and the other sources' scores when asked for.</summary>
    public IReadOnlyList<ContinuousFeature> Features =>
        [.. ContinuousFeatures.WithoutCandidates, .. CandidateModelVersion is null ? [] : ContinuousFeatures.Candidate, .. SourceFeatures ? ContinuousFeatures.Sources : []];

    /// <summary>
    /// The most watched videos before the holdout (ties by id), the slate of the last resort, and
    /// the counts behind the candidate sources' tables, on the watches before the holdout that are
    /// also on their user's training side of the candidate model's split (so the held-out watches
    /// of an offline evaluation are in neither). Counted the first time it is asked for.
    /// </summary>
    public async Task<WatchTables> WatchTablesAsync(CancellationToken cancellation = default)
    {
        watchTables ??= await CountAsync(Dataset, HoldoutStart.ToUnixTimeSeconds(), await CandidateTrainingEndAsync(cancellation).ConfigureAwait(false), cancellation).ConfigureAwait(false);
        return watchTables;
    }

    /// <summary>Training inputs, by <see cref="TrainRows"/>.</summary>
    public IReadOnlyList<RankingInput> TrainInputs { get; }

    /// <summary>Held-out inputs, by <see cref="TestRows"/>.</summary>
    public IReadOnlyList<RankingInput> TestInputs { get; }

    /// <summary>What candidate lists' click weights measure (watch seconds, else completion × duration, else completion, else 1: <see cref="CandidateLists"/>).</summary>
    private static string ListWeightUnit(List<Watch> watches, IReadOnlyList<Video> videos) =>
        watches.Any(w => float.IsFinite(w.WatchSeconds) || (float.IsFinite(w.Completion) && videos[w.Video].DurationSeconds > 0)) ? ImpressionWeights.WatchSeconds
        : watches.Any(w => float.IsFinite(w.Completion)) ? ImpressionWeights.ExpectedCompletion
        : ImpressionWeights.ClickOdds;

    /// <summary>Labels of the training examples.</summary>
    public IReadOnlyList<bool> TrainClicked { get; }

    /// <summary>Watch seconds of the training examples.</summary>
    public IReadOnlyList<float> TrainWatchSeconds { get; }

    /// <summary>
    /// Reads the dataset, replays every user's log, and nominates through the candidate model of
    /// <paramref name="modelFolder"/> if it has one. A log without impressions trains on that model's
    /// candidate lists (<see cref="CandidateLists"/>), so it needs one.
    /// </summary>
    /// <param name="dataPath">Dataset folder.</param>
    /// <param name="modelFolder">Model folder whose candidate stage scores the impressions, or null.</param>
    /// <param name="holdoutFraction">Share of the time span held out.</param>
    /// <param name="listOptions">How candidate lists stand in for impressions when the log has none (the defaults when null).</param>
    /// <param name="sourceFeatures">Give every example the other sources' signals as of its time (<see cref="SourceCounts"/>); null: when the examples are candidate lists.</param>
    /// <param name="log">Progress lines, or null.</param>
    /// <param name="cancellation">Stops the work.</param>
    public static async Task<RankingData> PrepareAsync(string dataPath, string? modelFolder, double holdoutFraction, CandidateListOptions? listOptions = null, bool? sourceFeatures = false, Action<string>? log = null, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var dataset = await Dataset.OpenAsync(dataPath, cancellation).ConfigureAwait(false);
        var hasCandidates = modelFolder is not null && File.Exists(Path.Combine(modelFolder, CandidateModelManifest.FileName));
        using var candidates = hasCandidates ? CandidateModel.Load(modelFolder!) : null;
        (SplitOptions, ExampleOptions)? candidateSplit = candidates is null ? null : (candidates.Manifest.Split, candidates.Manifest.Examples);
        DataSplit? split = null;
        WatchTables? tables = null;
        long? listCutoff = null;
        RankingExample[] examples;
        string? listWeightUnit = null;
        var fromImpressions = dataset.Manifest.Counts.Impressions > 0 && listOptions?.InsteadOfImpressions != true;
        var withSources = sourceFeatures ?? !fromImpressions;
        if (fromImpressions)
        {
            examples = await RankingExampleBuilder.BuildAsync(dataset, cancellation).ConfigureAwait(false);
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"ranking examples: {examples.Length:N0} impressions ({examples.Count(e => e.Clicked):N0} clicked) replayed in {clock.Elapsed.TotalSeconds:F1} s"));
        }
        else
        {
            if (candidates is null || candidateSplit is not { } options)
            {
                throw new ArgumentException($"{dataPath}: {(dataset.Manifest.Counts.Impressions > 0 ? "candidate lists asked for" : "the dataset has no impressions")}, so the ranker trains on the candidate model's lists: train the candidate stage into {modelFolder ?? "the model folder"} first (funnel train candidates), with candidate features on");
            }
            split = await SplitAsync(dataset, options, cancellation).ConfigureAwait(false);
            var lists = listOptions ?? new CandidateListOptions();
            var watches = await dataset.ReadWatchesAsync(cancellation).FlattenAsync().ConfigureAwait(false);
            var probes = CandidateLists.Probes(watches, dataset.Videos, lists, split.TrainingEndOf);
            listWeightUnit = ListWeightUnit(watches, dataset.Videos);
            if (probes.Count == 0)
            {
                throw new ArgumentException($"{dataPath}: no completed watch on the candidate model's training side to build a candidate list at");
            }
            // The holdout is the probes' (a list's impressions share its probe's time), fixed before the lists so the co-visits counted for them stop there too.
            listCutoff = TimeHoldout.Cutoff([.. probes.Select(p => p.Time)], holdoutFraction);
            if (withSources)
            {
                tables = await CountAsync(dataset, listCutoff.Value, split.TrainingEndOf, cancellation).ConfigureAwait(false);
            }
            var built = await CandidateLists.BuildAsync(dataset, candidates, lists, watches, probes, tables?.Counts, log, cancellation).ConfigureAwait(false);
            if (built.Kept == 0)
            {
                throw new ArgumentException($"{dataPath}: the candidate model nominated none of the {built.Probed:N0} sampled completed watches, so there is nothing to rank; train the candidate stage longer or on more data");
            }
            examples = await RankingExampleBuilder.BuildAsync(dataset, built.Impressions, cancellation).ConfigureAwait(false);
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"ranking examples: {(dataset.Manifest.Counts.Impressions > 0 ? "candidate lists asked for instead of the log's impressions" : "no impressions in the log")}, so {built.Kept:N0} candidate lists{(tables is null ? "" : " (with co-visits)")} of the {built.Probed:N0} sampled completed watches ({100.0 * built.Kept / built.Probed:F0}% whose watch the lists nominated) stand in: {examples.Length:N0} impressions, built in {clock.Elapsed.TotalSeconds:F1} s"));
        }
        string? candidateVersion = null;
        if (candidates is not null)
        {
            clock.Restart();
            examples = CandidateNominator.Nominate(examples, dataset, candidates, log, cancellation);
            candidateVersion = candidates.Manifest.VersionTag();
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"candidate scores and ranks from model {candidateVersion} in {clock.Elapsed.TotalSeconds:F1} s"));
        }
        var (train, test, cutoff) = listCutoff is { } fixedCutoff ? TimeHoldout.Split(examples, fixedCutoff) : TimeHoldout.Split(examples, holdoutFraction);
        if (withSources)
        {
            clock.Restart();
            if (split is null && candidateSplit is { } options)
            {
                split = await SplitAsync(dataset, options, cancellation).ConfigureAwait(false);
            }
            tables ??= await CountAsync(dataset, cutoff, split is null ? null : split.TrainingEndOf, cancellation).ConfigureAwait(false);
            for (var i = 0; i < examples.Length; i++)
            {
                var example = examples[i];
                examples[i] = example with { Signals = tables.Counts.SignalsAt(example.User, example.State.RecentWatches, example.Video, example.Time) };
            }
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"co-visit and regional signals as of each impression in {clock.Elapsed.TotalSeconds:F1} s ({examples.Count(e => e.Signals.CoVisitScore > 0):N0} of {examples.Length:N0} co-visited)"));
        }
        return new RankingData(dataset, examples, train, test, cutoff, candidateVersion, candidateSplit, split, tables, listWeightUnit);
    }

    /// <summary>How many videos the popularity fallback keeps.</summary>
    public const int PopularVideos = 1_000;

    private static async Task<WatchTables> CountAsync(Dataset dataset, long cutoff, Func<int, long>? trainingEnd, CancellationToken cancellation)
    {
        var counts = new Dictionary<int, int>();
        var training = new List<Watch>();
        await foreach (var chunk in dataset.ReadWatchesAsync(cancellation).ConfigureAwait(false))
        {
            foreach (var watch in chunk)
            {
                if (watch.Time < cutoff)
                {
                    counts[watch.Video] = counts.GetValueOrDefault(watch.Video) + 1;
                    if (trainingEnd is not { } end || watch.Time < end(watch.User))
                    {
                        training.Add(watch);
                    }
                }
            }
        }
        var popular = counts.OrderByDescending(p => p.Value).ThenBy(p => dataset.Videos[p.Key].Id, StringComparer.Ordinal).Take(PopularVideos).Select(p => dataset.Videos[p.Key].Id).ToArray();
        return new WatchTables(popular, SourceCounts.Count(dataset.Videos, dataset.Users, training));
    }

    /// <summary>The candidate model's own split: which watches are held out for its validation and test.</summary>
    private static async Task<DataSplit> SplitAsync(Dataset dataset, (SplitOptions Split, ExampleOptions Examples) options, CancellationToken cancellation) =>
        DataSplit.Create(await TimelineLoader.LoadAsync(dataset, cancellation).ConfigureAwait(false), options.Split, options.Examples);

    /// <summary>The network shape for a tower over <paramref name="space"/>.</summary>
    public static RankingNetworkOptions Shape(RankingFeatureSpace space, IReadOnlyList<int> tower, bool powers = true) => new(
        space.Videos.Rows, space.Videos.Width,
        space.Channels.Rows, space.Channels.Width,
        space.Languages.Rows, space.Languages.Width,
        space.Devices.Rows, space.Devices.Width,
        space.Regions.Rows, space.Regions.Width,
        space.Features.Count, powers, [.. tower]);

    /// <summary>The held-out impressions scored by <paramref name="network"/>, for the ranking metrics.</summary>
    public IReadOnlyList<ScoredImpression> ScoreTest(RankingNetwork network, EncodedImpressions test)
    {
        const int batch = 4096;
        var scored = new ScoredImpression[TestRows.Count];
        var rows = Enumerable.Range(0, test.Count).ToArray();
        for (var start = 0; start < rows.Length; start += batch)
        {
            var logits = network.Score(test, rows.AsSpan(start, Math.Min(batch, rows.Length - start)));
            for (var i = 0; i < logits.Length; i++)
            {
                var example = Examples[TestRows[start + i]];
                scored[start + i] = new ScoredImpression(example.User, example.Page, logits[i], example.Clicked, example.WatchSeconds);
            }
        }
        return scored;
    }
}

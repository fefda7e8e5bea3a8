using System.Globalization;
using Funnel.Core;
using Funnel.Evaluation.Ranking;
using Funnel.Ranking.Features;
using Funnel.Ranking.Inference;
using Funnel.Ranking.Training;
using Funnel.Runs.Reports;
using Funnel.Torch;

namespace Funnel.Runs.Ranking;

/// <summary>
/// <c>funnel train ranking</c>: prepares the dataset's impressions, fits the feature space on the
/// training part, trains the ranker, scores the later-time holdout and writes MODEL/ranking/ (and
/// the training curve to MODEL/ranking-training/curve.png).
/// </summary>
public static class RankingTrainingRun
{
    /// <summary>The sub-folder of the ranker's checkpoints and training curve.</summary>
    public const string TrainingFolder = "ranking-training";

    /// <summary>Trains and saves; returns the written manifest.</summary>
    public static async Task<RankingManifest> RunAsync(string dataPath, string modelFolder, RankingRunOptions options, Action<string>? log = null, CancellationToken cancellation = default)
    {
        var data = await RankingData.PrepareAsync(dataPath, options.CandidateFeatures ? modelFolder : null, options.HoldoutFraction, options.Training.Lists, options.SourceFeatures, log, cancellation).ConfigureAwait(false);
        var space = RankingFeatureSpace.Fit(data.TrainInputs, data.TrainClicked, data.Features, options.EffectiveLimits, options.Quantiles);
        var train = space.Encode(data.TrainInputs);
        var test = space.Encode(data.TestInputs);
        log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"ranking features: {train.Count:N0} training and {test.Count:N0} held-out impressions (from {data.HoldoutStart:u}); vocabularies: {space.Videos.Ids.Count:N0} videos, {space.Channels.Ids.Count:N0} channels, {space.Languages.Ids.Count} languages, {space.Devices.Ids.Count} devices, {space.Regions.Ids.Count} regions; {space.Features.Count} continuous features"));
        var shape = RankingData.Shape(space, options.EffectiveTower, options.Powers);
        using var trainer = new RankingTrainer(shape, train, data.TrainClicked, data.TrainWatchSeconds, options.Training);
        // The held-out loss after each epoch, for the curve only: the ranker keeps its last epoch, chosen by nothing here.
        var heldOut = new List<(double Epoch, double Loss)>();
        var history = trainer.Train(
            p =>
            {
                log?.Invoke(p.Describe($"ranking {shape.TowerName}"));
                if (p.Finished is { } epoch && test.Count > 0)
                {
                    heldOut.Add((epoch.Epoch, WeightedPerUserLoss.Compute(data.ScoreTest(trainer.Network, test)).Loss));
                }
            },
            Path.Combine(modelFolder, TrainingFolder),
            cancellation);
        var network = trainer.Network;
        var metrics = RankingMetrics.Compute(shape.TowerName, data.ScoreTest(network, test));
        var manifest = new RankingManifest(
            RankingManifest.CurrentFormatVersion,
            DateTimeOffset.UtcNow,
            data.Dataset.Manifest.Name,
            Path.GetFullPath(dataPath),
            options.HoldoutFraction,
            data.HoldoutStart,
            data.CandidateModelVersion,
            shape,
            options.Training,
            [.. space.Features.Select(ContinuousFeatures.Name)],
            [.. space.Normalizers.Select(n => new SavedNormalizer(n.Feature, n.Boundaries))],
            RankingModelFolder.Vocabularies(space),
            history,
            metrics,
            ScoreUnit: data.ScoreUnit(options.Training.Weighting));
        var tables = await data.WatchTablesAsync(cancellation).ConfigureAwait(false);
        RankingModelFolder.Save(modelFolder, network, space, manifest, data.Dataset.Videos, tables.Popular, tables.Counts.Tables);
        // The checkpoint is for resuming an interrupted run; once the stage is saved, a rerun (other options, a retrained candidate model) trains afresh.
        AtomicFolder.DeleteIfExists(Path.Combine(modelFolder, TrainingFolder, TrainingCheckpoint.Folder));
        var report = Directory.CreateDirectory(Path.Combine(modelFolder, TrainingFolder)).FullName;
        LineChart.Save(
            Path.Combine(report, "curve.png"),
            $"Ranker {shape.TowerName} ({options.Training.Weighting}): training and held-out loss",
            "epoch",
            "weighted logistic loss (training)",
            [
                new Series("training loss", [.. history.Select(h => (double)h.Epoch)], [.. history.Select(h => h.Loss)]),
                new Series("held-out weighted per-user loss", [.. heldOut.Select(h => h.Epoch)], [.. heldOut.Select(h => h.Loss)], RightAxis: true),
            ],
            rightLabel: "weighted per-user loss (held out, lower is better)");
        return manifest;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Funnel.Core;
using Funnel.Evaluation.Ranking;
using Funnel.Ranking.Features;
using Funnel.Ranking.Training;
using Funnel.Runs.Reports;

namespace Funnel.Runs.Ranking;

/// <summary>One configuration of the paper's Table 1.</summary>
/// <param name="Config">Its name: the hidden layers ("none", "1024-512-256"), with "-no-powers" or "-unweighted" for the last two rows.</param>
/// <param name="Tower">Hidden ReLU layers.</param>
/// <param name="Powers">Whether x̃² and √x̃ are fed.</param>
/// <param name="Weighting">Watch-time weighted or unweighted.</param>
/// <param name="PaperLoss">The paper's weighted per-user loss for it, in percent.</param>
public sealed record Table1Config(string Config, int[] Tower, bool Powers, ImpressionWeighting Weighting, double PaperLoss);

/// <summary>One trained configuration and its held-out figures.</summary>
/// <param name="Config">The configuration.</param>
/// <param name="Metrics">Its held-out metrics.</param>
/// <param name="TrainSeconds">Training wall time.</param>
/// <param name="ImpressionsPerSecond">Training throughput in the last epoch.</param>
public sealed record Table1Row(Table1Config Config, IReadOnlyList<RankingMetric> Metrics, double TrainSeconds, double ImpressionsPerSecond)
{
    /// <summary>The weighted per-user loss.</summary>
    public double Loss => Metrics.Single(m => m.Metric == MetricNames.WeightedPerUserLoss).Value;
}

/// <summary>
/// The paper's Table 1 (Covington et al., §4.2): the ranker with no hidden layer, one layer of 256,
/// 512 or 1024 ReLUs, 512→256, 1024→512 and 1024→512→256, then the last without x̃², √x̃ and
/// without watch-time weighting, each trained with the same data, features, seed and epochs and
/// scored on the same later-time holdout. Writes MODEL/table1/{table1.md, table1.json, table1.png}.
/// </summary>
public static class Table1Run
{
    /// <summary>The paper's rows with its figures.</summary>
    public static readonly IReadOnlyList<Table1Config> Configs =
    [
        new("none", [], true, ImpressionWeighting.WatchTime, 41.6),
        new("256", [256], true, ImpressionWeighting.WatchTime, 36.9),
        new("512", [512], true, ImpressionWeighting.WatchTime, 36.7),
        new("1024", [1024], true, ImpressionWeighting.WatchTime, 35.8),
        new("512-256", [512, 256], true, ImpressionWeighting.WatchTime, 35.2),
        new("1024-512", [1024, 512], true, ImpressionWeighting.WatchTime, 34.7),
        new("1024-512-256", [1024, 512, 256], true, ImpressionWeighting.WatchTime, 34.6),
        new("1024-512-256-no-powers", [1024, 512, 256], false, ImpressionWeighting.WatchTime, 34.8),
        new("1024-512-256-unweighted", [1024, 512, 256], true, ImpressionWeighting.Unweighted, 38.7),
    ];

    /// <summary>The report folder inside the model folder.</summary>
    public const string Folder = "table1";

    /// <summary>Trains and scores every configuration.</summary>
    /// <param name="dataPath">Dataset with impressions.</param>
    /// <param name="modelFolder">Model folder (its candidate model, if any, lends scores and ranks; the report goes inside).</param>
    /// <param name="options">Training options shared by every row (tower, powers and weighting are the row's).</param>
    /// <param name="configs">The rows to run (default all).</param>
    /// <param name="log">Progress lines.</param>
    /// <param name="cancellation">Stops the work.</param>
    public static async Task<IReadOnlyList<Table1Row>> RunAsync(string dataPath, string modelFolder, RankingRunOptions options, IReadOnlyList<Table1Config>? configs = null, Action<string>? log = null, CancellationToken cancellation = default)
    {
        var data = await RankingData.PrepareAsync(dataPath, options.CandidateFeatures ? modelFolder : null, options.HoldoutFraction, options.Training.Lists, options.SourceFeatures, log, cancellation).ConfigureAwait(false);
        var space = RankingFeatureSpace.Fit(data.TrainInputs, data.TrainClicked, data.Features, options.EffectiveLimits, options.Quantiles);
        var train = space.Encode(data.TrainInputs);
        var test = space.Encode(data.TestInputs);
        var rows = new List<Table1Row>();
        foreach (var config in configs ?? Configs)
        {
            cancellation.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var shape = RankingData.Shape(space, config.Tower, config.Powers);
            using var trainer = new RankingTrainer(shape, train, data.TrainClicked, data.TrainWatchSeconds, options.Training with { Weighting = config.Weighting });
            var history = trainer.Train(p => log?.Invoke(p.Describe($"ranking {config.Config}")), cancellation: cancellation);
            var row = new Table1Row(config, RankingMetrics.Compute(config.Config, data.ScoreTest(trainer.Network, test)), clock.Elapsed.TotalSeconds, history[^1].ExamplesPerSecond);
            rows.Add(row);
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"table 1: {config.Config}: weighted per-user loss {100 * row.Loss:F2}% (paper {config.PaperLoss:F1}%), {row.TrainSeconds:F0} s"));
        }
        Write(Path.Combine(modelFolder, Folder), data, options, rows);
        return rows;
    }

    /// <summary>The Markdown table.</summary>
    public static string Markdown(IReadOnlyList<Table1Row> rows, string caption)
    {
        var text = new StringBuilder();
        text.AppendLine(caption).AppendLine();
        text.AppendLine("| hidden layers | weighted per-user loss | paper | AUC (clicks) | watch s, top 1 | watch s, top 3 | train s |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            double Value(string metric) => row.Metrics.Single(m => m.Metric == metric).Value;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {row.Config.Config} | {100 * row.Loss:F2}% | {row.Config.PaperLoss:F1}% | {Value(MetricNames.Auc):F4} | {Value(MetricNames.WatchSecondsTop(1)):F1} | {Value(MetricNames.WatchSecondsTop(3)):F1} | {row.TrainSeconds:F0} |"));
        }
        return text.ToString();
    }

    private static void Write(string folder, RankingData data, RankingRunOptions options, List<Table1Row> rows)
    {
        Directory.CreateDirectory(folder);
        var pairs = rows.Count == 0 ? 0 : rows[0].Metrics.Single(m => m.Metric == MetricNames.Pairs).Value;
        var caption = string.Create(CultureInfo.InvariantCulture,
            $"Table 1 on {data.Dataset.Manifest.Name}: {data.TrainRows.Count:N0} training impressions, {data.TestRows.Count:N0} held out (from {data.HoldoutStart:u}, {pairs:N0} positive–negative pairs); {options.Training.Epochs} epochs, batch {options.Training.BatchSize}, Adam {options.Training.LearningRate}, seed {options.Training.Seed}; candidate features: {(data.CandidateModelVersion is null ? "none" : data.CandidateModelVersion)}.");
        AtomicFile.WriteAllText(Path.Combine(folder, "table1.md"), Markdown(rows, caption));
        AtomicFile.WriteAllText(Path.Combine(folder, "table1.json"), JsonSerializer.Serialize(new { dataset = data.Dataset.Manifest.Name, caption, rows }, FunnelJson.Files));
        BarChart.Save(
            Path.Combine(folder, "table1.png"),
            "Table 1: weighted per-user loss on the held-out pairs",
            "weighted per-user loss (%)",
            [.. rows.Select(r => r.Config.Config)],
            [new BarSeries("Funnel (synthetic world)", [.. rows.Select(r => 100 * r.Loss)]), new BarSeries("paper (YouTube)", [.. rows.Select(r => r.Config.PaperLoss)])]);
    }
}

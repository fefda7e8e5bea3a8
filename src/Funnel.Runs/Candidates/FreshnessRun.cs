using System.Globalization;
using System.Text;
using System.Text.Json;
using Funnel.Candidates.Inference;
using Funnel.Candidates.Model;
using Funnel.Candidates.Training;
using Funnel.Core;
using Funnel.Data.Examples;
using Funnel.Evaluation;
using Funnel.Runs.Reports;

namespace Funnel.Runs.Candidates;

/// <summary>Shares at one video age (days since upload, the last bucket holding everything older).</summary>
/// <param name="DaysSinceUpload">Age bucket.</param>
/// <param name="WatchShare">Share of the test period's completed watches.</param>
/// <param name="WithExampleAge">Share of the model's top-K recommendations.</param>
/// <param name="WithoutExampleAge">Share of the top-K of a twin trained without the example-age feature.</param>
public sealed record FreshnessRow(int DaysSinceUpload, double WatchShare, double WithExampleAge, double WithoutExampleAge);

/// <summary>
/// The paper's Figure 4 on a temporal split: how much of what the model recommends is fresh,
/// with and without the example-age feature, against how much of what users watched was fresh.
/// </summary>
public static class FreshnessRun
{
    /// <summary>Trains the twin, ranks every test query, writes MODEL/freshness/{freshness.md, .json, .png}.</summary>
    public static async Task<IReadOnlyList<FreshnessRow>> RunAsync(string data, string model, int k, int maxDays = 21, Action<string>? log = null, CancellationToken cancellation = default)
    {
        var manifest = CandidateModelFolder.ReadManifest(model);
        if (manifest.Split.Kind != SplitKind.Temporal)
        {
            throw new ArgumentException("the freshness figure needs a model trained on a temporal split (the test period follows the training window)");
        }
        if (!manifest.Network.Inputs.ExampleAge)
        {
            throw new ArgumentException("the model was trained without the example-age feature; train it with --features all");
        }
        var (_, dataset, split) = await ModelWithData.OpenAsync(data, model, manifest, cancellation).ConfigureAwait(false);
        using var withAge = CandidateModelFolder.LoadNetwork(model, manifest);
        log?.Invoke($"freshness: training a twin without example age ({manifest.History.Count} epochs, as the model)");
        var twinNetwork = manifest.Network with { Features = manifest.Network.Inputs with { ExampleAge = false } };
        using var twin = new CandidateTrainer(split, twinNetwork, manifest.Training with { Epochs = manifest.History.Count });
        twin.Train(cancellation: cancellation);

        var evaluator = new RetrievalEvaluator(split, new RetrievalEvaluationOptions([k], Seed: manifest.Training.Seed));
        var recommended = RecommendedAges(evaluator, new NetworkRetrievalModel(withAge), split, k, maxDays);
        var recommendedWithout = RecommendedAges(evaluator, new NetworkRetrievalModel(twin.Network), split, k, maxDays);
        var watched = WatchedAges(split, maxDays);
        var rows = Enumerable.Range(0, maxDays + 1).Select(d => new FreshnessRow(d, watched[d], recommended[d], recommendedWithout[d])).ToList();
        Write(Path.Combine(model, "freshness"), dataset.Manifest.Name, k, maxDays, rows);
        return rows;
    }

    /// <summary>Shares of the top-K by age at the query time.</summary>
    private static double[] RecommendedAges(RetrievalEvaluator evaluator, IRetrievalModel model, DataSplit split, int k, int maxDays)
    {
        var counts = new double[maxDays + 1];
        evaluator.Rank(model, split.Test, k, (query, ranked) =>
        {
            foreach (var video in ranked)
            {
                counts[Bucket(split.Test.Cutoff[query] - split.Timelines.Videos[video].UploadTime, maxDays)]++;
            }
        });
        return Normalise(counts);
    }

    /// <summary>Shares of the test period's completed watches by age at watch time.</summary>
    private static double[] WatchedAges(DataSplit split, int maxDays)
    {
        var counts = new double[maxDays + 1];
        var timelines = split.Timelines;
        for (var w = 0; w < timelines.WatchCount; w++)
        {
            if (timelines.WatchTime[w] >= split.TestStart && split.Options.IsPositive(timelines.WatchCompletion[w]))
            {
                counts[Bucket(timelines.WatchTime[w] - timelines.Videos[timelines.WatchVideo[w]].UploadTime, maxDays)]++;
            }
        }
        return Normalise(counts);
    }

    private static int Bucket(long ageSeconds, int maxDays) => (int)Math.Clamp(ageSeconds / 86_400, 0, maxDays);

    private static double[] Normalise(double[] counts)
    {
        var total = Math.Max(1.0, counts.Sum());
        return [.. counts.Select(c => c / total)];
    }

    private static void Write(string folder, string dataset, int k, int maxDays, IReadOnlyList<FreshnessRow> rows)
    {
        Directory.CreateDirectory(folder);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Freshness (the paper's Figure 4): {dataset}\n\nShare by days since upload (the last row is {maxDays} days or more): completed watches in the test period, and the top-{k} recommendations at the test cut of the model with and without the example-age feature.\n\n");
        text.Append("| days since upload | watches | with example age | without example age |\n|---:|---:|---:|---:|\n");
        foreach (var row in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {(row.DaysSinceUpload == maxDays ? $"≥ {maxDays}" : row.DaysSinceUpload.ToString(CultureInfo.InvariantCulture))} | {row.WatchShare:P1} | {row.WithExampleAge:P1} | {row.WithoutExampleAge:P1} |\n");
        }
        AtomicFile.WriteAllText(Path.Combine(folder, "freshness.md"), text.ToString());
        AtomicFile.WriteAllText(Path.Combine(folder, "freshness.json"), JsonSerializer.Serialize(rows, FunnelJson.Files));
        var days = rows.Select(r => (double)r.DaysSinceUpload).ToArray();
        LineChart.Save(
            Path.Combine(folder, "freshness.png"),
            $"Freshness of recommendations ({dataset})",
            "days since upload",
            "share",
            [
                new Series("completed watches (test period)", days, [.. rows.Select(r => r.WatchShare)]),
                new Series("with example age", days, [.. rows.Select(r => r.WithExampleAge)]),
                new Series("without example age", days, [.. rows.Select(r => r.WithoutExampleAge)]),
            ]);
    }
}

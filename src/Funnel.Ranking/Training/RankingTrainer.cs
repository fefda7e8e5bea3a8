using System.Diagnostics;
using System.Globalization;
using Funnel.Ranking.Features;
using Funnel.Ranking.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Funnel.Ranking.Training;

/// <summary>
/// Trains a <see cref="RankingNetwork"/> by weighted logistic regression with Adam: each step's loss
/// is Σ wᵢ·ℓᵢ / (B · w̄), the per-impression binary cross-entropy weighted as
/// <see cref="ImpressionWeights"/> says, scaled by the training set's mean weight w̄ (a constant, so
/// the optimum is that of the weighted likelihood and the step size does not depend on the unit of
/// watch time).
/// </summary>
public static class RankingTrainer
{
    /// <summary>Trains a new network on the encoded training impressions.</summary>
    /// <param name="shape">The network's shape.</param>
    /// <param name="training">Encoded training impressions.</param>
    /// <param name="clicked">Label of each impression.</param>
    /// <param name="watchSeconds">Watch time of each impression (used for clicked ones).</param>
    /// <param name="options">Epochs, batch, step size, weighting and seed.</param>
    /// <param name="log">Progress lines (loss, impressions/s, ETA), or null.</param>
    /// <param name="cancellation">Stops between steps.</param>
    public static (RankingNetwork Network, IReadOnlyList<RankingEpochRecord> History) Train(
        RankingNetworkOptions shape,
        EncodedImpressions training,
        IReadOnlyList<bool> clicked,
        IReadOnlyList<float> watchSeconds,
        RankingTrainingOptions options,
        Action<string>? log = null,
        CancellationToken cancellation = default)
    {
        options.Validate();
        if (training.Count == 0 || clicked.Count != training.Count || watchSeconds.Count != training.Count)
        {
            throw new ArgumentException($"training needs impressions with a label and a watch time each: {training.Count} impressions, {clicked.Count} labels, {watchSeconds.Count} watch times");
        }
        var labels = new float[training.Count];
        var weights = new float[training.Count];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = clicked[i] ? 1f : 0f;
            weights[i] = ImpressionWeights.Of(clicked[i], watchSeconds[i], options.Weighting);
        }
        var meanWeight = weights.Average(w => (double)w);
        torch.manual_seed(options.Seed);
        var network = new RankingNetwork(shape);
        using var optimizer = torch.optim.Adam(network.parameters(), options.LearningRate);
        var random = new Random(options.Seed);
        var order = Enumerable.Range(0, training.Count).ToArray();
        var batchLabels = new float[options.BatchSize];
        var batchWeights = new float[options.BatchSize];
        var steps = (training.Count + options.BatchSize - 1) / options.BatchSize;
        var history = new List<RankingEpochRecord>();
        var reportEvery = TimeSpan.FromSeconds(10);
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            network.train();
            random.Shuffle(order);
            var clock = Stopwatch.StartNew();
            var lastReport = TimeSpan.Zero;
            double lossSum = 0;
            for (var step = 0; step < steps; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                var start = step * options.BatchSize;
                var rows = order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start));
                for (var i = 0; i < rows.Length; i++)
                {
                    batchLabels[i] = labels[rows[i]];
                    batchWeights[i] = (float)(weights[rows[i]] / meanWeight);
                }
                using var scope = NewDisposeScope();
                using var batch = RankingBatchTensors.ForTraining(training, rows, batchLabels[..rows.Length], batchWeights[..rows.Length]);
                var logits = network.forward(batch);
                var loss = nn.functional.binary_cross_entropy_with_logits(logits, batch.Labels!, weight: batch.Weights!, reduction: nn.Reduction.Mean);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>() * rows.Length;
                if (log is not null && clock.Elapsed - lastReport >= reportEvery)
                {
                    lastReport = clock.Elapsed;
                    var done = start + rows.Length;
                    var rate = done / clock.Elapsed.TotalSeconds;
                    log(string.Create(CultureInfo.InvariantCulture, $"ranking {shape.TowerName} epoch {epoch}/{options.Epochs}: {done:N0}/{training.Count:N0} impressions, loss {lossSum / done:F4}, {rate:N0}/s, ETA {TimeSpan.FromSeconds((training.Count - done) / rate):mm\\:ss}"));
                }
            }
            var record = new RankingEpochRecord(epoch, lossSum / training.Count, training.Count / clock.Elapsed.TotalSeconds, clock.Elapsed.TotalSeconds);
            history.Add(record);
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"ranking {shape.TowerName} epoch {epoch}/{options.Epochs}: loss {record.Loss:F4}, {record.ExamplesPerSecond:N0} impressions/s, {record.Seconds:F1} s"));
        }
        network.eval();
        return (network, history);
    }
}

using System.Diagnostics;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using Funnel.Core;
using Funnel.Ranking.Features;
using Funnel.Ranking.Model;
using Funnel.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Funnel.Ranking.Training;

/// <summary>
/// Trains a <see cref="RankingNetwork"/> by weighted logistic regression with Adam: each step's loss
/// is Σ wᵢ·ℓᵢ / (B · w̄), the per-impression binary cross-entropy weighted as
/// <see cref="ImpressionWeights"/> says, scaled by the training set's mean weight w̄ (a constant, so
/// the optimum is that of the weighted likelihood and the step size does not depend on the unit of
/// watch time). The same shape as the candidate trainer: options, typed progress, 1-based epochs, and
/// an atomic checkpoint per epoch from which a run resumes exactly.
/// </summary>
public sealed class RankingTrainer : IDisposable
{
    private readonly EncodedImpressions training;
    private readonly float[] labels;
    private readonly float[] weights;
    private readonly double meanWeight;
    private readonly DenseAdam optimizer;
    private readonly List<EpochRecord> history = [];
    private string? fingerprint;
    private int completedEpochs;

    /// <summary>Builds the network (seeded) and its optimiser for the encoded training impressions.</summary>
    /// <param name="shape">The network's shape.</param>
    /// <param name="training">Encoded training impressions.</param>
    /// <param name="clicked">Label of each impression.</param>
    /// <param name="watchSeconds">Watch time of each impression (used for clicked ones).</param>
    /// <param name="options">Epochs, batch, step size, weighting and seed.</param>
    public RankingTrainer(RankingNetworkOptions shape, EncodedImpressions training, IReadOnlyList<bool> clicked, IReadOnlyList<float> watchSeconds, RankingTrainingOptions options)
    {
        Options = options.Validate();
        if (training.Count == 0 || clicked.Count != training.Count || watchSeconds.Count != training.Count)
        {
            throw new ArgumentException($"training needs impressions with a label and a watch time each: {training.Count} impressions, {clicked.Count} labels, {watchSeconds.Count} watch times");
        }
        this.training = training;
        labels = new float[training.Count];
        weights = new float[training.Count];
        var continuation = options.Weighting == ImpressionWeighting.WatchTimeAndContinuation ? ImpressionWeights.ContinuationSeconds(clicked, watchSeconds) : 0f;
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = clicked[i] ? 1f : 0f;
            weights[i] = ImpressionWeights.Of(clicked[i], watchSeconds[i], options.Weighting, continuation);
        }
        meanWeight = weights.Average(w => (double)w);
        torch.manual_seed(options.Seed);
        Network = new RankingNetwork(shape);
        optimizer = new DenseAdam(Network.parameters(), options.LearningRate);
    }

    /// <summary>The network being trained (eval mode after <see cref="Train"/>).</summary>
    public RankingNetwork Network { get; }

    /// <summary>The options in force.</summary>
    public RankingTrainingOptions Options { get; }

    /// <summary>Epoch records so far.</summary>
    public IReadOnlyList<EpochRecord> History => history;

    /// <summary>
    /// Trains to the epoch limit. With <paramref name="checkpoints"/>, the state is saved after every
    /// epoch, and training resumes from a checkpoint found there.
    /// </summary>
    public IReadOnlyList<EpochRecord> Train(Action<TrainingProgress>? progress = null, string? checkpoints = null, CancellationToken cancellation = default)
    {
        if (checkpoints is not null)
        {
            TryResume(checkpoints);
        }
        var random = new Random(Options.Seed);
        var order = Enumerable.Range(0, training.Count).ToArray();
        // The shuffles of the epochs already done, replayed: a resumed run sees the orders an uninterrupted one does.
        for (var done = 0; done < completedEpochs; done++)
        {
            random.Shuffle(order);
        }
        var batchLabels = new float[Options.BatchSize];
        var batchWeights = new float[Options.BatchSize];
        var steps = (training.Count + Options.BatchSize - 1) / Options.BatchSize;
        while (completedEpochs < Options.Epochs)
        {
            var epoch = completedEpochs + 1;
            Network.train();
            random.Shuffle(order);
            var clock = Stopwatch.StartNew();
            var sinceReport = Stopwatch.StartNew();
            double lossSum = 0;
            for (var step = 0; step < steps; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                var start = step * Options.BatchSize;
                var rows = order.AsSpan(start, Math.Min(Options.BatchSize, order.Length - start));
                for (var i = 0; i < rows.Length; i++)
                {
                    batchLabels[i] = labels[rows[i]];
                    batchWeights[i] = (float)(weights[rows[i]] / meanWeight);
                }
                using var scope = NewDisposeScope();
                using var batch = RankingBatchTensors.ForTraining(training, rows, batchLabels[..rows.Length], batchWeights[..rows.Length]);
                var logits = Network.forward(batch);
                var loss = nn.functional.binary_cross_entropy_with_logits(logits, batch.Labels!, weight: batch.Weights!, reduction: nn.Reduction.Mean);
                optimizer.ZeroGrad();
                loss.backward();
                optimizer.Step();
                lossSum += loss.item<float>() * rows.Length;
                if (progress is not null && sinceReport.Elapsed >= TrainingProgress.Interval)
                {
                    sinceReport.Restart();
                    var done = start + rows.Length;
                    progress(new TrainingProgress(epoch, Options.Epochs, step + 1, steps, lossSum / done, done / clock.Elapsed.TotalSeconds, clock.Elapsed, null));
                }
            }
            var record = new EpochRecord(epoch, lossSum / training.Count, training.Count / clock.Elapsed.TotalSeconds, double.NaN, clock.Elapsed.TotalSeconds);
            history.Add(record);
            completedEpochs++;
            if (checkpoints is not null)
            {
                SaveCheckpoint(checkpoints);
            }
            progress?.Invoke(new TrainingProgress(epoch, Options.Epochs, steps, steps, record.Loss, record.ExamplesPerSecond, clock.Elapsed, record));
        }
        Network.eval();
        return history;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        optimizer.Dispose();
        Network.Dispose();
    }

    // Named for its format: a checkpoint of TorchSharp's optimiser state (an earlier version) is not resumed.
    private const string OptimizerFile = "adam.bin";

    private sealed record TrainerState(string Fingerprint, int CompletedEpochs, List<EpochRecord> History);

    /// <summary>What must match for a checkpoint to be resumed: the shape, every option but the epoch limit, and the encoded data with its labels and weights.</summary>
    private string Fingerprint() => fingerprint ??= JsonSerializer.Serialize(
        new
        {
            network = Network.Options,
            training = Options with { Epochs = 0 },
            optimizer = OptimizerFile,
            impressions = this.training.Fingerprint(),
            labels = Convert.ToHexString(XxHash3.Hash(MemoryMarshal.AsBytes(labels.AsSpan()))),
            weights = Convert.ToHexString(XxHash3.Hash(MemoryMarshal.AsBytes(weights.AsSpan()))),
        },
        FunnelJson.Files);

    private void SaveCheckpoint(string folder) =>
        TrainingCheckpoint.Save(folder, new TrainerState(Fingerprint(), completedEpochs, history), staging =>
        {
            Network.save(Path.Combine(staging, "network.bin"));
            optimizer.Save(Path.Combine(staging, OptimizerFile));
        });

    private void TryResume(string folder)
    {
        if (TrainingCheckpoint.TryRead<TrainerState>(folder, s => s.Fingerprint, Fingerprint()) is not { } found)
        {
            return;
        }
        var (state, checkpoint) = found;
        Network.load(Path.Combine(checkpoint, "network.bin"));
        optimizer.Load(Path.Combine(checkpoint, OptimizerFile));
        completedEpochs = state.CompletedEpochs;
        history.Clear();
        history.AddRange(state.History);
    }
}

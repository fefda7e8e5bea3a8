using System.Diagnostics;
using Funnel.Candidates.Model;
using Funnel.Candidates.Pretraining;
using Funnel.Candidates.Softmax;
using Funnel.Core;
using Funnel.Data.Examples;
using Funnel.Evaluation;
using Funnel.Torch;
using static TorchSharp.torch;

namespace Funnel.Candidates.Training;

/// <summary>
/// Trains the candidate network on a split's examples with the sampled softmax: a dense optimiser
/// for the tower, sparse row optimisers for the tables, validation Recall@K after every epoch,
/// early stopping, and an atomic checkpoint per epoch from which a run resumes exactly.
/// </summary>
public sealed partial class CandidateTrainer : IDisposable
{
    private const int NegativeStream = 40;
    private const int DropoutStream = 41;

    private readonly DataSplit split;
    private readonly CandidateBatchBuilder builder;
    private readonly TrainingSequences? sequences;
    private readonly CandidateTrainingStep step;
    private readonly RetrievalEvaluator validation;
    private readonly List<EpochRecord> history = [];
    private double bestValidation = double.NegativeInfinity;
    private int bestEpoch;
    private int completedEpochs;

    /// <summary>Builds the network (seeded) and its optimisers for the split.</summary>
    public CandidateTrainer(DataSplit split, CandidateNetworkOptions network, CandidateTrainingOptions options)
    {
        this.split = split;
        Options = options.Validate();
        manual_seed(options.Seed);
        Network = new CandidateNetwork(network);
        builder = new CandidateBatchBuilder(split);
        // The causal encoder reads a user's watches once per window for all their examples.
        sequences = network.Encoder == HistoryEncoderKind.Attention ? TrainingSequences.Create(split, network.HistoryLength, options.WindowStride) : null;
        var labelCounts = LabelCounts(split);
        NegativeSampler sampler = options.Sampler == SamplerKind.LogUniform
            ? new LogUniformSampler(split.Videos.Rows)
            : new UnigramSampler(labelCounts, power: 0.75);
        step = new CandidateTrainingStep(Network, options, sampler, new UnigramSampler(labelCounts, power: 1.0));
        validation = new RetrievalEvaluator(split, new RetrievalEvaluationOptions([options.ValidationK], MaxQueries: options.ValidationQueries, Seed: options.Seed));
    }

    /// <summary>The network being trained; after <see cref="Train"/>, the best epoch's weights.</summary>
    public CandidateNetwork Network { get; }

    /// <summary>The options in force.</summary>
    public CandidateTrainingOptions Options { get; }

    /// <summary>Epoch records so far.</summary>
    public IReadOnlyList<EpochRecord> History => history;

    /// <summary>The 1-based epoch whose weights are kept (best validation figure), or 0 before training.</summary>
    public int BestEpoch => bestEpoch;

    /// <summary>
    /// Trains until the epoch limit or early stopping. With <paramref name="checkpoints"/>, the state
    /// is saved after every epoch, and training resumes from a checkpoint found there.
    /// </summary>
    public IReadOnlyList<EpochRecord> Train(Action<TrainingProgress>? progress = null, string? checkpoints = null, CancellationToken cancellation = default)
    {
        if (checkpoints is not null)
        {
            TryResume(checkpoints);
        }
        if (completedEpochs == 0 && Options.PretrainCbowEpochs > 0)
        {
            Pretrain();
        }
        var examples = split.Train.Count;
        while (completedEpochs < Options.Epochs && !StoppedEarly())
        {
            // 0-based for the seeds of shuffling and sampling, 1-based in records and reports.
            var epoch = completedEpochs;
            var clock = Stopwatch.StartNew();
            var sinceReport = Stopwatch.StartNew();
            double lossSum = 0;
            var steps = 0;
            Network.train();
            // Dropout draws from torch's global generator: seeded per epoch, so a run (and a resumed
            // one) repeats whatever else used the generator before.
            manual_seed(SeedMixer.Mix(Options.Seed, DropoutStream, epoch));
            var plan = sequences is null ? null : CandidateBatchBuilder.PlanSequenceBatches(sequences, Options.BatchSize, Options.Seed, epoch);
            var stepsPerEpoch = plan?.Count ?? (examples + Options.BatchSize - 1) / Options.BatchSize;
            var seen = 0;
            foreach (var batch in plan is null ? builder.TrainingBatches(Options.BatchSize, epoch) : SequenceBatches(plan))
            {
                cancellation.ThrowIfCancellationRequested();
                lossSum += step.Run(batch, SeedMixer.Random(Options.Seed, NegativeStream, ((long)epoch << 32) | (uint)steps));
                steps++;
                seen += batch.Count;
                if (sinceReport.Elapsed >= TrainingProgress.Interval)
                {
                    sinceReport.Restart();
                    progress?.Invoke(new TrainingProgress(epoch + 1, Options.Epochs, steps, stepsPerEpoch, lossSum / steps, seen / clock.Elapsed.TotalSeconds, clock.Elapsed, null));
                }
            }
            var trainingSeconds = clock.Elapsed.TotalSeconds;
            var validated = Validate();
            var record = new EpochRecord(epoch + 1, steps == 0 ? double.NaN : lossSum / steps, examples / Math.Max(trainingSeconds, 1e-9), validated, clock.Elapsed.TotalSeconds);
            history.Add(record);
            completedEpochs++;
            if (double.IsNaN(validated) || validated > bestValidation)
            {
                bestValidation = double.IsNaN(validated) ? bestValidation : validated;
                bestEpoch = epoch + 1;
                if (checkpoints is not null)
                {
                    SaveBest(checkpoints);
                }
                else
                {
                    RememberBest();
                }
            }
            if (checkpoints is not null)
            {
                SaveCheckpoint(checkpoints);
            }
            progress?.Invoke(new TrainingProgress(epoch + 1, Options.Epochs, steps, stepsPerEpoch, record.Loss, record.ExamplesPerSecond, clock.Elapsed, record));
        }
        RestoreBest(checkpoints);
        return history;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        step.Dispose();
        Network.Dispose();
        DisposeBestWeights();
    }

    /// <summary>The planned window groups as batches; one batch object, refilled.</summary>
    private IEnumerable<CandidateBatch> SequenceBatches(IReadOnlyList<int[]> plan)
    {
        var batch = new CandidateBatch(Options.BatchSize + sequences!.MostExamplesPerWindow, 1);
        foreach (var windows in plan)
        {
            builder.FillSequences(sequences, windows, batch);
            yield return batch;
        }
    }

    /// <summary>CBOW pre-training of the tables (a fresh run only: a resumed one loads its weights).</summary>
    private void Pretrain()
    {
        var dimension = Network.Options.EmbeddingDimension;
        using var videos = CbowPretrainer.Videos(split, dimension, Options.PretrainCbowEpochs, Options.Seed);
        using var tokens = CbowPretrainer.Tokens(split, dimension, Options.PretrainCbowEpochs, Options.Seed);
        Network.InitialiseTables(videos.Contexts, videos.Targets, tokens.Contexts);
    }

    private double Validate()
    {
        if (split.Validation.Count == 0)
        {
            return double.NaN;
        }
        var results = validation.Evaluate(new NetworkRetrievalModel(Network), split.Validation);
        Network.train();
        return results.Single(r => r.Metric == Options.ValidationMetric).Value;
    }

    private bool StoppedEarly() =>
        bestEpoch > 0 && !double.IsNegativeInfinity(bestValidation) && completedEpochs - bestEpoch >= Options.Patience;

    /// <summary>How often each video row is a training label (the in-batch positives' distribution).</summary>
    private static long[] LabelCounts(DataSplit split)
    {
        var counts = new long[split.Videos.Rows];
        foreach (var label in split.Train.Label)
        {
            counts[split.Videos.RowOf(split.Timelines.WatchVideo[label])]++;
        }
        counts[0] = 0;
        if (counts.All(c => c == 0))
        {
            throw new InvalidOperationException("the split has no training examples: nothing to train on");
        }
        return counts;
    }
}

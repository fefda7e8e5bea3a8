using Funnel.Candidates.Softmax;
using Funnel.Core;

namespace Funnel.Candidates.Training;

/// <summary>Optimiser for the video and token tables (sparse row updates).</summary>
public enum SparseOptimizerKind
{
    /// <summary>Row-wise Adagrad: one accumulator per row.</summary>
    Adagrad,

    /// <summary>Lazy Adam: moments of touched rows only.</summary>
    LazyAdam,
}

/// <summary>Where sampled negatives come from.</summary>
public enum SamplerKind
{
    /// <summary>Log-uniform over the frequency-sorted vocabulary.</summary>
    LogUniform,

    /// <summary>Training-label counts to the power 0.75.</summary>
    Unigram,
}

/// <summary>How the candidate network is trained; defaults follow the paper where it says.</summary>
/// <param name="Epochs">Most passes over the training examples.</param>
/// <param name="BatchSize">Examples per step.</param>
/// <param name="LearningRate">Step size of Adam, the optimiser of the tower, category embeddings and temperature.</param>
/// <param name="SparseLearningRate">Sparse optimiser step size.</param>
/// <param name="SparseOptimizer">Row-wise Adagrad or lazy Adam.</param>
/// <param name="Sampler">Negative sampler.</param>
/// <param name="Softmax">Negatives, in-batch, logQ and masking switches.</param>
/// <param name="Seed">Initialisation, shuffling and sampling seed.</param>
/// <param name="Patience">Stop after this many epochs without a better validation figure.</param>
/// <param name="ValidationQueries">Validation queries scored per epoch (a seeded subset).</param>
/// <param name="ValidationK">Early stopping watches <see cref="ValidationMetric"/>@ValidationK.</param>
/// <param name="PretrainCbowEpochs">Epochs of CBOW pre-training of the video and token tables before training; 0 for none.</param>
/// <param name="FullSoftmax">Train with the exact softmax over every video instead of sampled negatives; null: when the vocabulary has at most <see cref="Funnel.Candidates.Softmax.FullSoftmax.AutomaticUpToVideos"/> rows.</param>
/// <param name="WeightDecay">Decoupled weight decay (AdamW) of the dense optimiser's parameters, the tables among them when they are dense; 0 for plain Adam.</param>
/// <param name="ValidationMetric">The retrieval metric early stopping and the kept epoch go by (<see cref="MetricNames"/>: recall, hr, ndcg, map).</param>
/// <param name="WindowStride">The attention encoder's training windows: watches between the ends of a user's consecutive windows (1 … the history length; equal to it, windows do not overlap and each trains every position); null: half the history length.</param>
public sealed record CandidateTrainingOptions(
    int Epochs = 10,
    int BatchSize = 512,
    double LearningRate = 0.001,
    double SparseLearningRate = 0.05,
    SparseOptimizerKind SparseOptimizer = SparseOptimizerKind.Adagrad,
    SamplerKind Sampler = SamplerKind.LogUniform,
    SampledSoftmaxOptions? Softmax = null,
    int Seed = 1,
    int Patience = 3,
    int ValidationQueries = 2_000,
    int ValidationK = 100,
    int PretrainCbowEpochs = 0,
    bool? FullSoftmax = false,
    double WeightDecay = 0,
    string ValidationMetric = MetricNames.Recall,
    int? WindowStride = null)
{
    /// <summary>Whether a vocabulary of <paramref name="videos"/> rows trains with the full softmax.</summary>
    public bool UsesFullSoftmax(int videos) => FullSoftmax ?? videos <= Funnel.Candidates.Softmax.FullSoftmax.AutomaticUpToVideos;

    /// <summary>The softmax options actually used.</summary>
    public SampledSoftmaxOptions SoftmaxOptions => Softmax ?? new SampledSoftmaxOptions();

    /// <summary>Fails with the offending values.</summary>
    public CandidateTrainingOptions Validate()
    {
        if (Epochs < 1 || BatchSize < 2 || Patience < 1 || ValidationK < 1 || ValidationQueries < 0 || PretrainCbowEpochs < 0)
        {
            throw new ArgumentException($"need epochs ≥ 1, batch ≥ 2, patience ≥ 1, K ≥ 1; got epochs {Epochs}, batch {BatchSize}, patience {Patience}, K {ValidationK}");
        }
        if (!(LearningRate > 0 && SparseLearningRate > 0))
        {
            throw new ArgumentException($"learning rates must be > 0; got {LearningRate} and {SparseLearningRate}");
        }
        if (!(WeightDecay >= 0))
        {
            throw new ArgumentException($"weight decay must be ≥ 0; got {WeightDecay}");
        }
        if (!MetricNames.Retrieval.Contains(ValidationMetric))
        {
            throw new ArgumentException($"unknown validation metric '{ValidationMetric}'; expected one of {string.Join(", ", MetricNames.Retrieval)}");
        }
        if (WindowStride < 1)
        {
            throw new ArgumentException($"the window stride must be ≥ 1; got {WindowStride}");
        }
        SoftmaxOptions.Validate();
        return this;
    }
}

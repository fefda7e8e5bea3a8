using Funnel.Candidates.Batching;
using Funnel.Candidates.Model;
using Funnel.Candidates.Optimizers;
using Funnel.Candidates.Softmax;
using Funnel.Data.Examples;
using Funnel.Torch;
using static TorchSharp.torch;

namespace Funnel.Candidates.Training;

/// <summary>
/// One optimisation step of the candidate network: forward, sampled (or, on small corpora, full)
/// softmax, backward, a dense optimiser step for the tower and sparse row steps for the tables, whose
/// gradients reach them through an <see cref="EmbeddingLookupTape"/>. Shared by the trainer and the
/// training benchmark, so what is measured is what trains.
/// </summary>
public sealed class CandidateTrainingStep : IDisposable
{
    private readonly CandidateNetwork network;
    private readonly SampledSoftmax softmax;
    private readonly bool fullSoftmax;
    private readonly EmbeddingLookupTape lookups = new();

    /// <summary>Creates the optimisers for the network.</summary>
    /// <param name="network">The network to train.</param>
    /// <param name="options">Optimisers, learning rates and softmax switches.</param>
    /// <param name="sampler">Draws the shared negatives.</param>
    /// <param name="labels">How often each row is a training label (in-batch correction).</param>
    public CandidateTrainingStep(CandidateNetwork network, CandidateTrainingOptions options, NegativeSampler sampler, NegativeSampler labels)
    {
        this.network = network;
        softmax = new SampledSoftmax(options.SoftmaxOptions, sampler, labels);
        fullSoftmax = options.UsesFullSoftmax(network.Options.Videos);
        DenseOptimizer = new DenseAdam(network.DenseParameters, options.LearningRate, options.WeightDecay);
        SparseOptimizers = network.SparseParameters
            .Select(table => options.SparseOptimizer == SparseOptimizerKind.Adagrad
                ? (SparseRowOptimizer)new RowwiseSparseAdagrad(table, options.SparseLearningRate)
                : new LazyAdam(table, options.SparseLearningRate))
            .ToArray();
    }

    /// <summary>The tower's optimiser.</summary>
    public DenseAdam DenseOptimizer { get; }

    /// <summary>One optimiser per embedding table.</summary>
    public IReadOnlyList<SparseRowOptimizer> SparseOptimizers { get; }

    /// <summary>Trains on one batch; <paramref name="random"/> draws its negatives. Returns the loss.</summary>
    public double Run(CandidateBatch batch, Random random)
    {
        using var scope = NewDisposeScope();
        using var tensors = CandidateBatchTensors.From(batch);
        network.train();
        network.RecordLookups(SparseOptimizers.Count > 0 ? lookups : null);
        try
        {
            var users = network.forward(tensors);
            var labels = batch.Labels.AsSpan(0, batch.Count);
            Tensor loss;
            if (fullSoftmax)
            {
                loss = FullSoftmax.Loss(users, network.CandidateVectors(TensorRanges.Of(1, network.Options.Videos)), labels);
            }
            else
            {
                using var logits = softmax.Compute(rows => network.Score(users, rows), labels, random);
                loss = logits.Loss();
            }
            loss.backward();
            DenseOptimizer.Step();
            DenseOptimizer.ZeroGrad();
            foreach (var optimizer in SparseOptimizers)
            {
                optimizer.Step(lookups);
            }
            return loss.item<float>();
        }
        finally
        {
            network.RecordLookups(null);
            lookups.Clear();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        DenseOptimizer.Dispose();
        lookups.Dispose();
    }
}

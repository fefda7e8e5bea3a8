using Funnel.Candidates.Optimizers;
using Funnel.Candidates.Softmax;
using Funnel.Core;
using Funnel.Data.Examples;
using static TorchSharp.torch;

namespace Funnel.Candidates.Pretraining;

/// <summary>
/// Pre-trains video embeddings on the training side's watch sequences (the watches around a watch
/// are its context) and token embeddings on search queries (a query's other tokens are a token's
/// context), to initialise the candidate network (`--pretrain cbow`).
/// </summary>
public static class CbowPretrainer
{
    private const int Window = 5;
    private const int BatchSize = 1_024;
    private const int Negatives = 64;
    private const int RandomStream = 50;

    /// <summary>Trained (context, target) tables of one vocabulary.</summary>
    /// <param name="Contexts">[rows, D].</param>
    /// <param name="Targets">[rows, D].</param>
    public sealed record Tables(Tensor Contexts, Tensor Targets) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose()
        {
            Contexts.Dispose();
            Targets.Dispose();
        }
    }

    /// <summary>Video tables from each user's training-side watches within ±5 positions.</summary>
    public static Tables Videos(DataSplit split, int dimension, int epochs, int seed)
    {
        var timelines = split.Timelines;
        var sequences = new List<int[]>();
        for (var user = 0; user < timelines.UserCount; user++)
        {
            var end = split.TrainingWatchEndOf(user);
            var rows = new List<int>();
            for (var w = timelines.WatchStart[user]; w < end; w++)
            {
                var row = split.Videos.RowOf(timelines.WatchVideo[w]);
                if (row != Vocabulary.OutOfVocabulary)
                {
                    rows.Add(row);
                }
            }
            sequences.Add([.. rows]);
        }
        return Train(sequences, split.Videos.Rows, Window, dimension, epochs, seed);
    }

    /// <summary>Token tables from each training-side search's tokens (the whole query is the context).</summary>
    public static Tables Tokens(DataSplit split, int dimension, int epochs, int seed)
    {
        var timelines = split.Timelines;
        var sequences = new List<int[]>();
        for (var user = 0; user < timelines.UserCount; user++)
        {
            var end = timelines.SearchesBefore(user, split.TrainingEndOf(user));
            for (var s = timelines.SearchStart[user]; s < end; s++)
            {
                var rows = new List<int>();
                for (var t = timelines.SearchTokenStart[s]; t < timelines.SearchTokenStart[s + 1]; t++)
                {
                    var row = split.Tokens.RowOf(timelines.SearchTokens[t]);
                    if (row != Vocabulary.OutOfVocabulary)
                    {
                        rows.Add(row);
                    }
                }
                sequences.Add([.. rows]);
            }
        }
        return Train(sequences, split.Tokens.Rows, int.MaxValue, dimension, epochs, seed + 1);
    }

    private static Tables Train(List<int[]> sequences, int rows, int window, int dimension, int epochs, int seed)
    {
        var counts = new long[rows];
        foreach (var sequence in sequences)
        {
            foreach (var row in sequence)
            {
                counts[row]++;
            }
        }
        using var model = new CbowModel(rows, dimension, seed);
        if (counts.All(c => c == 0))
        {
            return new Tables(model.ContextTable.detach().clone(), model.TargetTable.detach().clone());
        }
        var sampler = new UnigramSampler(counts, power: 0.75);
        var optimizers = new SparseRowOptimizer[] { new RowwiseSparseAdagrad(model.ContextTable, 0.1), new RowwiseSparseAdagrad(model.TargetTable, 0.1) };
        var positions = sequences.SelectMany((sequence, s) => Enumerable.Range(0, sequence.Length).Where(_ => sequence.Length > 1).Select(i => (s, i))).ToArray();
        var contexts = new List<long>();
        var offsets = new long[BatchSize];
        var targets = new long[BatchSize];
        var negatives = new long[Negatives];
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            var random = SeedMixer.Random(seed, RandomStream, epoch);
            random.Shuffle(positions);
            for (var start = 0; start < positions.Length; start += BatchSize)
            {
                var count = Math.Min(BatchSize, positions.Length - start);
                contexts.Clear();
                for (var b = 0; b < count; b++)
                {
                    var (s, i) = positions[start + b];
                    var sequence = sequences[s];
                    offsets[b] = contexts.Count;
                    targets[b] = sequence[i];
                    for (var j = Math.Max(0, i - Math.Min(window, i)); j < sequence.Length && j <= (long)i + window; j++)
                    {
                        if (j != i)
                        {
                            contexts.Add(sequence[j]);
                        }
                    }
                }
                sampler.Sample(random, negatives);
                using var scope = NewDisposeScope();
                var loss = model.forward(tensor(contexts.ToArray()), tensor(offsets.AsSpan(0, count).ToArray()), tensor(targets.AsSpan(0, count).ToArray()), tensor(negatives));
                loss.backward();
                foreach (var optimizer in optimizers)
                {
                    optimizer.Step();
                }
            }
        }
        return new Tables(model.ContextTable.detach().clone(), model.TargetTable.detach().clone());
    }
}

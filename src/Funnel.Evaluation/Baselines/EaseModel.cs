using Funnel.Data.Examples;
using TorchSharp;
using static TorchSharp.torch;

namespace Funnel.Evaluation.Baselines;

/// <summary>
/// EASE (Steck 2019): a closed-form item-item linear model, B = I − P·diag(1/diag P) with
/// P = (XᵀX + λI)⁻¹ and diag B = 0, over the user × video matrix of training-side watches. The
/// inverse is cubic in the catalogue, so only the <c>maxVideos</c> most frequent videos take part
/// (the others are never recommended).
/// </summary>
public sealed class EaseModel : IRetrievalModel, IDisposable
{
    private readonly Tensor weights;
    private readonly int rows;
    private readonly int modelled;

    /// <summary>Fits EASE on the split's training side.</summary>
    public EaseModel(DataSplit split, double lambda = 500, int maxVideos = 10_000)
    {
        rows = split.Videos.Rows;
        // Vocabulary rows are in frequency order: rows 1..modelled are the most watched.
        modelled = Math.Min(rows - 1, maxVideos);
        using var scope = NewDisposeScope();
        var gram = zeros(modelled, modelled, dtype: ScalarType.Float64);
        var chunk = new List<List<int>>();
        void Flush()
        {
            if (chunk.Count == 0)
            {
                return;
            }
            using var inner = NewDisposeScope();
            var x = Indicators(chunk.Count, i => chunk[i]);
            gram.add_(matmul(x.t(), x).to_type(ScalarType.Float64));
            chunk.Clear();
        }
        TrainingWatches.ForEachUser(split, (_, history, _) =>
        {
            chunk.Add(history.Where(r => r <= modelled).Distinct().ToList());
            if (chunk.Count == 1_024)
            {
                Flush();
            }
        });
        Flush();
        using (var ridge = lambda.ToScalar())
        {
            gram.add_(eye(modelled, dtype: ScalarType.Float64).mul(ridge));
        }
        var p = linalg.inv(gram);
        var b = -p / p.diagonal().unsqueeze(0);
        b.diagonal().zero_();
        weights = b.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string Name => "ease";

    /// <inheritdoc />
    public Tensor Score(CandidateBatch batch)
    {
        using var scope = NewDisposeScope();
        var x = Indicators(batch.Count, i => TrainingWatches.HistoryOf(batch, i).ToArray().Select(r => (int)r));
        using var excluded = float.NegativeInfinity.ToScalar();
        var scores = full(batch.Count, rows, excluded);
        scores[TensorIndex.Colon, TensorIndex.Slice(1, modelled + 1)] = matmul(x, weights);
        return scores.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose() => weights.Dispose();

    /// <summary>A 0/1 matrix [users, modelled]: column r − 1 set for each modelled row r a user watched.</summary>
    private Tensor Indicators(int users, Func<int, IEnumerable<int>> rowsOf)
    {
        var values = new float[users * modelled];
        for (var u = 0; u < users; u++)
        {
            foreach (var row in rowsOf(u))
            {
                if (row >= 1 && row <= modelled)
                {
                    values[(u * modelled) + row - 1] = 1f;
                }
            }
        }
        return tensor(values, [users, modelled]);
    }
}

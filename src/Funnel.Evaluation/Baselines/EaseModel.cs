using System.Globalization;
using Funnel.Core;
using Funnel.Data.Examples;
using Funnel.Torch;
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

    /// <summary>The ridge strengths <see cref="ChosenOnValidation"/> tries by default.</summary>
    public static readonly IReadOnlyList<double> LambdaGrid = [10, 30, 100, 300, 1_000, 3_000];

    /// <summary>Fits EASE on the split's training side.</summary>
    public EaseModel(DataSplit split, double lambda = 500, int maxVideos = 10_000)
    {
        rows = split.Videos.Rows;
        modelled = Modelled(split, maxVideos);
        using var gram = Gram(split, modelled);
        weights = Solve(gram, lambda);
        Lambda = lambda;
    }

    private EaseModel(int rows, int modelled, Tensor gram, double lambda)
    {
        this.rows = rows;
        this.modelled = modelled;
        weights = Solve(gram, lambda);
        Lambda = lambda;
    }

    /// <summary>The ridge strength λ of the fit.</summary>
    public double Lambda { get; }

    /// <summary>
    /// EASE with the λ of <paramref name="lambdas"/> (default <see cref="LambdaGrid"/>) that ranks the
    /// split's validation queries best by NDCG@10 (ties: the earlier in the grid); the test queries are never
    /// read. Without validation queries, the default λ.
    /// </summary>
    public static EaseModel ChosenOnValidation(DataSplit split, int seed, IReadOnlyList<double>? lambdas = null, int maxVideos = 10_000, Action<string>? log = null)
    {
        if (split.Validation.Count == 0)
        {
            return new EaseModel(split, maxVideos: maxVideos);
        }
        var modelled = Modelled(split, maxVideos);
        using var gram = Gram(split, modelled);
        var validation = new RetrievalEvaluator(split, new RetrievalEvaluationOptions([10], Seed: seed));
        EaseModel? best = null;
        var bestScore = double.NegativeInfinity;
        foreach (var lambda in lambdas ?? LambdaGrid)
        {
            var candidate = new EaseModel(split.Videos.Rows, modelled, gram, lambda);
            var score = validation.Evaluate(candidate, split.Validation).Single(m => m.Metric == MetricNames.Ndcg).Value;
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"ease: λ {lambda:G} validation NDCG@10 {score:F4}"));
            if (score > bestScore)
            {
                best?.Dispose();
                (best, bestScore) = (candidate, score);
            }
            else
            {
                candidate.Dispose();
            }
        }
        return best!;
    }

    // Vocabulary rows are in frequency order: rows 1..modelled are the most watched.
    private static int Modelled(DataSplit split, int maxVideos) => Math.Min(split.Videos.Rows - 1, maxVideos);

    /// <summary>XᵀX over the training-side watches of the modelled videos, in double precision. [modelled, modelled]</summary>
    private static Tensor Gram(DataSplit split, int modelled)
    {
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
            var x = Indicators(chunk.Count, modelled, i => chunk[i]);
            gram.add_(matmul(x.t(), x).to_type(ScalarType.Float64), RootedScalars.One);
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
        return gram.MoveToOuterDisposeScope();
    }

    /// <summary>B = I − P·diag(1/diag P), diag B = 0, with P = (G + λI)⁻¹.</summary>
    private static Tensor Solve(Tensor gram, double lambda)
    {
        using var scope = NewDisposeScope();
        using var ridge = lambda.ToScalar();
        var p = linalg.inv(gram.add(eye(gram.shape[0], dtype: ScalarType.Float64).mul(ridge), RootedScalars.One));
        var b = -p / p.diagonal().unsqueeze(0);
        b.diagonal().zero_();
        return b.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string Name => "ease";

    /// <inheritdoc />
    public Tensor Score(CandidateBatch batch)
    {
        using var scope = NewDisposeScope();
        var x = Indicators(batch.Count, modelled, i => TrainingWatches.HistoryOf(batch, i).ToArray().Select(r => (int)r));
        using var excluded = float.NegativeInfinity.ToScalar();
        var scores = full(batch.Count, rows, excluded);
        scores[TensorIndex.Colon, TensorIndex.Slice(1, modelled + 1)] = matmul(x, weights);
        return scores.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose() => weights.Dispose();

    /// <summary>A 0/1 matrix [users, modelled]: column r − 1 set for each modelled row r a user watched.</summary>
    private static Tensor Indicators(int users, int modelled, Func<int, IEnumerable<int>> rowsOf)
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

using Funnel.Data.Examples;
using Funnel.Evaluation.Baselines;
using static TorchSharp.torch;

namespace Funnel.Evaluation.Tests;

public sealed class RetrievalEvaluatorTests(MovieLensSplit movieLens) : IClassFixture<MovieLensSplit>
{
    [Fact]
    public void An_oracle_that_scores_the_held_out_video_first_hits_everything()
    {
        var split = movieLens.Split;
        var oracle = new ScoreRows("oracle", split.Videos.Rows, (batch, i) => [split.Videos.RowOf(split.Test.Truth[Query(split, batch, i)])]);

        var results = new RetrievalEvaluator(split, new RetrievalEvaluationOptions([1, 10])).Evaluate(oracle, split.Test);

        // Leave-last-out has one truth video per query; the few outside the vocabulary cannot be hit.
        var inVocabulary = Enumerable.Range(0, split.Test.Count).Average(q => split.Videos.RowOf(split.Test.Truth[q]) != Vocabulary.OutOfVocabulary ? 1.0 : 0.0);
        Assert.All(results, r => Assert.Equal(inVocabulary, r.Value, 9));
        Assert.True(inVocabulary > 0.95);
    }

    [Fact]
    public void Videos_already_watched_are_masked_before_ranking()
    {
        var split = movieLens.Split;
        // Scores every video the user watched before the query highest: all of them must be masked.
        var rewatcher = new ScoreRows("rewatcher", split.Videos.Rows, (batch, i) => [.. TrainingHistory(batch, i)]);

        var masked = new RetrievalEvaluator(split, new RetrievalEvaluationOptions([10])).Evaluate(rewatcher, split.Test);
        var unmasked = new RetrievalEvaluator(split, new RetrievalEvaluationOptions([10], ExcludeSeen: false)).Evaluate(rewatcher, split.Test);

        Assert.Equal(0.0, unmasked.Single(r => r.Metric == "hr").Value);
        Assert.True(masked.Single(r => r.Metric == "hr").Value > 0.0);
    }

    [Fact]
    public void A_model_with_the_wrong_score_shape_is_rejected_by_name()
    {
        var split = movieLens.Split;
        var wrong = new ScoreRows("narrow", 10, (_, _) => []);

        var error = Assert.Throws<InvalidOperationException>(() => new RetrievalEvaluator(split).Evaluate(wrong, split.Test));

        Assert.StartsWith("model 'narrow' returned scores of shape [256, 10]; expected [256, ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Baselines_rank_as_expected_on_movielens_leave_last_out()
    {
        var split = movieLens.Split;
        var evaluator = new RetrievalEvaluator(split, new RetrievalEvaluationOptions([10, 50]));
        double Hr50(IRetrievalModel model) => evaluator.Evaluate(model, split.Test).Single(r => r.Metric == "hr" && r.K == 50).Value;

        using var ease = new EaseModel(split);
        var popularity = Hr50(new PopularityModel(split));
        var itemKnn = Hr50(new ItemKnnModel(split));
        var easeHr = Hr50(ease);

        // Measured: popularity 0.241, ItemKNN 0.408, EASE 0.454 (full corpus, seen masked).
        Assert.InRange(popularity, 0.15, 0.35);
        Assert.True(itemKnn > popularity + 0.1, $"itemknn {itemKnn:F3} vs popularity {popularity:F3}");
        Assert.True(easeHr > popularity + 0.1, $"ease {easeHr:F3} vs popularity {popularity:F3}");
    }

    [Fact]
    public void Ease_takes_the_lambda_that_ranks_the_validation_queries_best()
    {
        var split = movieLens.Split;
        var validation = new RetrievalEvaluator(split, new RetrievalEvaluationOptions([10], Seed: 4));
        double[] grid = [3, 300, 30_000];
        var scores = grid.Select(lambda =>
        {
            using var ease = new EaseModel(split, lambda);
            return validation.Evaluate(ease, split.Validation).Single(r => r.Metric == "ndcg").Value;
        }).ToArray();

        using var chosen = EaseModel.ChosenOnValidation(split, seed: 4, grid);

        Assert.Equal(grid[Array.IndexOf(scores, scores.Max())], chosen.Lambda);
        // The grid spans too little and too much ridge: the choice matters.
        Assert.True(scores.Max() > scores.Min() + 0.005, $"validation NDCG@10 {string.Join(", ", scores)}");
    }

    private static int Query(DataSplit split, CandidateBatch batch, int i) => Array.IndexOf(split.Test.User, batch.Users[i]);

    private static IEnumerable<long> TrainingHistory(CandidateBatch batch, int i)
    {
        var end = i + 1 < batch.Count ? batch.WatchOffsets[i + 1] : batch.WatchRowCount;
        for (var j = batch.WatchOffsets[i]; j < end; j++)
        {
            yield return batch.WatchRows[j];
        }
    }

    /// <summary>Gives score 1 to the listed rows of each example, 0 elsewhere.</summary>
    private sealed class ScoreRows(string name, int width, Func<CandidateBatch, int, long[]> rows) : IRetrievalModel
    {
        public string Name => name;

        public Tensor Score(CandidateBatch batch)
        {
            var scores = new float[batch.Count * width];
            for (var i = 0; i < batch.Count; i++)
            {
                foreach (var row in rows(batch, i))
                {
                    scores[(i * width) + row] = 1f;
                }
            }
            return tensor(scores, [batch.Count, width]);
        }
    }
}

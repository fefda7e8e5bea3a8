using Funnel.Candidates.Inference;
using Funnel.Candidates.Model;
using Funnel.Candidates.Softmax;
using Funnel.Candidates.Training;
using Funnel.Evaluation;
using Funnel.Retrieval;

namespace Funnel.Candidates.Tests.Model;

public sealed class IndexedNetworkModelTests(TinyWorld world) : IClassFixture<TinyWorld>
{
    [Fact]
    public void Served_through_the_exact_index_the_model_scores_as_when_every_video_is_ranked_and_hnsw_finds_its_top_k()
    {
        using var trainer = new CandidateTrainer(world.Split, world.Network, new CandidateTrainingOptions(Epochs: 2, BatchSize: 128, LearningRate: 0.003, Softmax: new SampledSoftmaxOptions(Negatives: 128), ValidationQueries: 200));
        trainer.Train();
        var evaluator = new RetrievalEvaluator(world.Split, new RetrievalEvaluationOptions([10, 50]));
        using var exactIndex = CandidateIndex.Build(trainer.Network, IndexKind.Exact);
        using var hnswIndex = CandidateIndex.Build(trainer.Network, IndexKind.Hnsw);

        var ranked = evaluator.Evaluate(new NetworkRetrievalModel(trainer.Network), world.Split.Test);
        var exact = evaluator.Evaluate(new IndexedNetworkModel(trainer.Network, exactIndex, "funnel-exact"), world.Split.Test);
        var overlap = new List<double>();
        var truth = new Dictionary<int, int[]>();
        evaluator.Rank(new NetworkRetrievalModel(trainer.Network), world.Split.Test, 50, (query, list) => truth[query] = list.ToArray());
        evaluator.Rank(new IndexedNetworkModel(trainer.Network, hnswIndex, "funnel-hnsw"), world.Split.Test, 50, (query, list) =>
            overlap.Add(list.ToArray().Intersect(truth[query]).Count() / (double)truth[query].Length));

        Assert.Equal(world.Network.Videos - 1, exactIndex.Count);
        Assert.All(ranked.Zip(exact), pair => Assert.Equal(pair.First.Value, pair.Second.Value, 6));
        Assert.True(overlap.Average() >= 0.95, $"HNSW found {overlap.Average():F3} of the exact top 50");
    }
}

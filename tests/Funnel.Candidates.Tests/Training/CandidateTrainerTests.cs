using Funnel.Candidates.Model;
using Funnel.Candidates.Softmax;
using Funnel.Candidates.Training;
using Funnel.Evaluation;
using Funnel.Evaluation.Baselines;
using TorchSharp;

namespace Funnel.Candidates.Tests.Training;

public sealed class CandidateTrainerTests(TinyWorld world) : IClassFixture<TinyWorld>
{
    private static readonly CandidateTrainingOptions Quick = new(Epochs: 2, BatchSize: 128, LearningRate: 0.003, Softmax: new SampledSoftmaxOptions(Negatives: 128), ValidationQueries: 200);

    [Fact]
    public void Learns_a_tiny_world_far_better_than_popularity()
    {
        using var trainer = new CandidateTrainer(world.Split, world.Network, Quick with { Epochs = 4 });
        trainer.Train();
        var evaluator = new RetrievalEvaluator(world.Split, new RetrievalEvaluationOptions([50]));

        var funnel = evaluator.Evaluate(new NetworkRetrievalModel(trainer.Network), world.Split.Test).Single(r => r.Metric == "recall").Value;
        var popularity = evaluator.Evaluate(new PopularityModel(world.Split), world.Split.Test).Single(r => r.Metric == "recall").Value;

        Assert.True(funnel > 1.5 * popularity && funnel > 0.25, $"recall@50: funnel {funnel:F3}, popularity {popularity:F3}");
        Assert.True(trainer.History[^1].Loss < trainer.History[0].Loss);
    }

    [Fact]
    public void The_attention_encoder_with_the_full_softmax_learns_and_the_same_seed_repeats_it()
    {
        var attention = world.Network with { Encoder = HistoryEncoderKind.Attention, HistoryLength = 50, TowerWidths = [], Dropout = 0.1, SparseTables = false, TiedVideoTables = true };
        var options = Quick with { Epochs = 8, FullSoftmax = true, WeightDecay = 0.01 };
        using var first = new CandidateTrainer(world.Split, attention, options);
        using var second = new CandidateTrainer(world.Split, attention, options);

        var a = first.Train();
        var b = second.Train();
        var evaluator = new RetrievalEvaluator(world.Split, new RetrievalEvaluationOptions([50]));
        var funnel = evaluator.Evaluate(new NetworkRetrievalModel(first.Network), world.Split.Test).Single(r => r.Metric == "recall").Value;
        var popularity = evaluator.Evaluate(new PopularityModel(world.Split), world.Split.Test).Single(r => r.Metric == "recall").Value;

        Assert.Equal(a.Select(e => (e.Loss, e.Validation)), b.Select(e => (e.Loss, e.Validation)));
        // The tiny synthetic world rewards topics more than order: beating popularity clearly is the bar here.
        Assert.True(funnel > 1.2 * popularity, $"recall@50: funnel {funnel:F3}, popularity {popularity:F3}");
        Assert.True(a[^1].Loss < a[0].Loss);
    }

    [Fact]
    public void The_same_seed_gives_the_same_run()
    {
        using var first = new CandidateTrainer(world.Split, world.Network, Quick with { Epochs = 1 });
        using var second = new CandidateTrainer(world.Split, world.Network, Quick with { Epochs = 1 });

        var a = first.Train();
        var b = second.Train();

        Assert.Equal(a[0].Loss, b[0].Loss);
        Assert.Equal(a[0].Validation, b[0].Validation);
        // Epochs count from 1, in records and in the kept epoch alike.
        Assert.Equal(1, a[0].Epoch);
        Assert.Equal(1, first.BestEpoch);
        Assert.True(first.Network.VideoTable.eq(second.Network.VideoTable).all().item<bool>());
    }

    [Fact]
    public void Resuming_from_a_checkpoint_gives_the_uninterrupted_result()
    {
        var straight = Directory.CreateTempSubdirectory("funnel-straight-").FullName;
        var interrupted = Directory.CreateTempSubdirectory("funnel-resumed-").FullName;
        try
        {
            using var uninterrupted = new CandidateTrainer(world.Split, world.Network, Quick);
            uninterrupted.Train(checkpoints: straight);
            using (var firstHalf = new CandidateTrainer(world.Split, world.Network, Quick with { Epochs = 1 }))
            {
                firstHalf.Train(checkpoints: interrupted);
            }
            using var resumed = new CandidateTrainer(world.Split, world.Network, Quick);

            resumed.Train(checkpoints: interrupted);

            Assert.Equal(uninterrupted.History.Select(h => (h.Loss, h.Validation)), resumed.History.Select(h => (h.Loss, h.Validation)));
            Assert.True(uninterrupted.Network.VideoTable.eq(resumed.Network.VideoTable).all().item<bool>());
        }
        finally
        {
            Directory.Delete(straight, recursive: true);
            Directory.Delete(interrupted, recursive: true);
        }
    }

    [Fact]
    public void A_checkpoint_made_with_other_options_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("funnel-mismatch-").FullName;
        try
        {
            using (var trainer = new CandidateTrainer(world.Split, world.Network, Quick with { Epochs = 1 }))
            {
                trainer.Train(checkpoints: folder);
            }
            using var other = new CandidateTrainer(world.Split, world.Network, Quick with { LearningRate = 0.01 });

            var error = Assert.Throws<InvalidOperationException>(() => other.Train(checkpoints: folder));

            Assert.Contains("was written with other options", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Training_leaves_no_tensors_behind()
    {
        using var trainer = new CandidateTrainer(world.Split, world.Network, Quick with { Epochs = 1 });
        trainer.Train();
        var afterFirst = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        using var again = new CandidateTrainer(world.Split, world.Network, Quick with { Epochs = 2 });
        var beforeSecond = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        again.Train();

        // A second trainer adds its own parameters and state, then training itself leaks nothing.
        var perTrainer = beforeSecond - afterFirst;
        Assert.True(DisposeScopeManager.Statistics.ThreadTotalLiveCount - beforeSecond <= perTrainer, $"live tensors grew by {DisposeScopeManager.Statistics.ThreadTotalLiveCount - beforeSecond} over two epochs");
    }
}

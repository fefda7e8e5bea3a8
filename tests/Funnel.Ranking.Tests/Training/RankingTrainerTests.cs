using Funnel.Ranking.Features;
using Funnel.Ranking.Model;
using Funnel.Ranking.Training;

namespace Funnel.Ranking.Tests.Training;

public sealed class RankingTrainerTests : IDisposable
{
    private static readonly RankingNetworkOptions Shape = new(10, 8, 5, 4, 4, 4, 3, 4, 3, 4, ContinuousFeatures: 2, Powers: true, Tower: [16]);
    private static readonly RankingTrainingOptions ThreeEpochs = new(Epochs: 3, BatchSize: 32, Seed: 4);

    private readonly TempFolder temp = new();

    [Fact]
    public void Epochs_are_numbered_from_one_in_records_and_progress()
    {
        var (set, clicked, seconds) = Impressions(1);
        using var trainer = new RankingTrainer(Shape, set, clicked, seconds, ThreeEpochs);
        var finished = new List<int>();

        var history = trainer.Train(p => finished.AddRange(p.Finished is { } record ? [record.Epoch] : []));

        Assert.Equal([1, 2, 3], history.Select(h => h.Epoch));
        Assert.Equal([1, 2, 3], finished);
    }

    [Fact]
    public void Resuming_from_a_checkpoint_gives_the_uninterrupted_result()
    {
        var (set, clicked, seconds) = Impressions(2);
        using var uninterrupted = new RankingTrainer(Shape, set, clicked, seconds, ThreeEpochs);
        uninterrupted.Train(checkpoints: temp.Combine("straight"));
        using (var firstEpoch = new RankingTrainer(Shape, set, clicked, seconds, ThreeEpochs with { Epochs = 1 }))
        {
            firstEpoch.Train(checkpoints: temp.Combine("interrupted"));
        }
        using var resumed = new RankingTrainer(Shape, set, clicked, seconds, ThreeEpochs);

        resumed.Train(checkpoints: temp.Combine("interrupted"));

        Assert.Equal(uninterrupted.History.Select(h => h.Loss), resumed.History.Select(h => h.Loss));
        Assert.Equal(uninterrupted.Network.Score(set, [0, 1, 2, 3]), resumed.Network.Score(set, [0, 1, 2, 3]));
    }

    [Fact]
    public void A_checkpoint_of_other_impressions_is_refused()
    {
        var (set, clicked, seconds) = Impressions(3);
        using (var first = new RankingTrainer(Shape, set, clicked, seconds, ThreeEpochs with { Epochs = 1 }))
        {
            first.Train(checkpoints: temp.Path);
        }
        var (other, otherClicked, otherSeconds) = Impressions(4);
        using var second = new RankingTrainer(Shape, other, otherClicked, otherSeconds, ThreeEpochs);

        var error = Assert.Throws<InvalidOperationException>(() => second.Train(checkpoints: temp.Path));
        Assert.Contains("other options or data", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => temp.Dispose();

    /// <summary>128 random impressions over the shape's vocabularies, a third clicked.</summary>
    private static (EncodedImpressions Set, bool[] Clicked, float[] Seconds) Impressions(int seed)
    {
        var set = RandomImpressions.Of(Shape, 128, seed);
        var random = new Random(seed);
        var clicked = Enumerable.Range(0, set.Count).Select(i => i % 3 == 0).ToArray();
        var seconds = clicked.Select(c => c ? (float)random.Next(5, 600) : 0f).ToArray();
        return (set, clicked, seconds);
    }
}

using Funnel.Ranking.Features;
using Funnel.Ranking.Model;
using Funnel.Ranking.Training;

namespace Funnel.Ranking.Tests.Model;

public sealed class RankingNetworkTests
{
    private static readonly RankingNetworkOptions Shape = new(10, 8, 5, 4, 4, 4, 3, 4, 3, 4, ContinuousFeatures: 2, Powers: true, Tower: [16, 8]);

    private static EncodedImpressions RandomSet(int count, int seed) => RandomImpressions.Of(Shape, count, seed);

    [Fact]
    public void Out_of_vocabulary_ids_keep_a_zero_embedding_through_training_and_drop_out_of_the_watch_average()
    {
        var set = RandomSet(256, 1);
        var clicked = Enumerable.Range(0, 256).Select(i => i % 3 == 0).ToArray();
        var seconds = Enumerable.Range(0, 256).Select(i => (float)(i % 7) * 10).ToArray();
        using var trainer = new RankingTrainer(Shape, set, clicked, seconds, new RankingTrainingOptions(Epochs: 3, BatchSize: 64, Seed: 2));
        trainer.Train();
        var network = trainer.Network;
        foreach (var (name, parameter) in network.named_parameters().Where(p => p.name.EndsWith("weight", StringComparison.Ordinal) && p.parameter.shape.Length == 2 && !p.name.Contains("hidden", StringComparison.Ordinal) && !p.name.Contains("logit", StringComparison.Ordinal)))
        {
            Assert.True(parameter[0].abs().sum().item<float>() == 0f, $"{name} row 0 is not zero after training");
        }

        // Watched videos 1, 2 score the same as 1, OOV, 2, OOV: unknown watches do not dilute the average.
        var probe = RandomSet(3, 5);
        probe.Watched.AsSpan().Clear();
        (probe.Watched[0], probe.Watched[1]) = (1, 2);
        (probe.Watched[UserActivity.MaxRecent], probe.Watched[UserActivity.MaxRecent + 2]) = (1, 2);
        probe.Watched[2 * UserActivity.MaxRecent] = 1;
        CopyRow(probe, from: 0, to: 1);
        CopyRow(probe, from: 0, to: 2);
        var scores = network.Score(probe, [0, 1, 2]);
        Assert.Equal(scores[0], scores[1], 6);
        Assert.NotEqual(scores[0], scores[2]);
    }

    [Fact]
    public void Rows_reading_one_stored_bag_score_as_rows_holding_copies_of_it()
    {
        using var network = new RankingNetwork(Shape);
        var copies = RandomSet(5, 7);
        foreach (var row in new[] { 2, 3 })
        {
            copies.BagOf(1).CopyTo(copies.BagOf(row));
        }
        var shared = new EncodedImpressions(5, copies.Continuous, bags: 3);
        foreach (var (from, to) in new[] { (copies.Video, shared.Video), (copies.Channel, shared.Channel), (copies.UserLanguage, shared.UserLanguage), (copies.VideoLanguage, shared.VideoLanguage), (copies.Device, shared.Device), (copies.Region, shared.Region) })
        {
            from.CopyTo(to, 0);
        }
        copies.Dense.CopyTo(shared.Dense, 0);
        int[] bagOfRow = [0, 1, 1, 1, 2];
        bagOfRow.CopyTo(shared.BagOfRow, 0);
        foreach (var row in new[] { 0, 1, 4 })
        {
            copies.BagOf(row).CopyTo(shared.BagOf(row));
        }

        Assert.Equal(copies.Fingerprint(), shared.Fingerprint());
        Assert.Equal(network.Score(copies, [0, 1, 2, 3, 4]), network.Score(shared, [0, 1, 2, 3, 4]));
        Assert.Equal(network.Score(copies, [3, 4]), network.Score(shared, [3, 4]));
    }

    [Fact]
    public void Rows_sharing_a_watch_bag_score_as_they_do_alone()
    {
        using var network = new RankingNetwork(Shape);
        var set = RandomSet(5, 6);
        // Rows 1-3 share row 1's bag (one request's candidates); rows 0 and 4 have their own.
        foreach (var row in new[] { 2, 3 })
        {
            set.Watched.AsSpan(UserActivity.MaxRecent, UserActivity.MaxRecent).CopyTo(set.Watched.AsSpan(row * UserActivity.MaxRecent));
        }

        var together = network.Score(set, [0, 1, 2, 3, 4]);
        var alone = Enumerable.Range(0, 5).Select(row => network.Score(set, [row])[0]).ToArray();

        for (var row = 0; row < 5; row++)
        {
            Assert.Equal(alone[row], together[row], 5);
        }
    }

    [Fact]
    public void No_hidden_layer_is_a_logistic_regression_and_wrong_shapes_are_refused()
    {
        using var network = new RankingNetwork(Shape with { Tower = [] });
        var set = RandomSet(4, 3);

        Assert.Equal(4, network.Score(set, [0, 1, 2, 3]).Length);
        Assert.Equal(2, network.parameters().Count(p => p.shape.Length == 2 && p.shape[1] == Shape.InputWidth) + network.parameters().Count(p => p.shape.Length == 1 && p.shape[0] == 1));
        Assert.Throws<ArgumentException>(() => new RankingNetwork(Shape with { Tower = [0] }));
        Assert.Throws<ArgumentException>(() => new RankingNetwork(Shape with { VideoRows = 0 }));
    }

    [Fact]
    public void Without_powers_the_network_reads_only_the_normalised_values()
    {
        using var network = new RankingNetwork(Shape with { Powers = false });
        var set = RandomSet(1, 4);
        var before = network.Score(set, [0])[0];
        // Change x̃² and √x̃ only: the score must not move.
        for (var j = Shape.ContinuousFeatures; j < set.DenseWidth; j++)
        {
            set.Dense[j] = 0.123f;
        }

        Assert.Equal(before, network.Score(set, [0])[0]);
    }

    private static void CopyRow(EncodedImpressions set, int from, int to)
    {
        set.Video[to] = set.Video[from];
        set.Channel[to] = set.Channel[from];
        set.UserLanguage[to] = set.UserLanguage[from];
        set.VideoLanguage[to] = set.VideoLanguage[from];
        set.Device[to] = set.Device[from];
        set.Region[to] = set.Region[from];
        set.Dense.AsSpan(from * set.DenseWidth, set.DenseWidth).CopyTo(set.Dense.AsSpan(to * set.DenseWidth));
    }
}

using Funnel.Ranking.Features;
using Funnel.Ranking.Model;
using Funnel.Ranking.Training;

namespace Funnel.Ranking.Tests.Training;

public sealed class WeightedLogisticRegressionTests
{
    [Theory]
    [InlineData(true, 42f, ImpressionWeighting.WatchTime, 42f)]
    [InlineData(false, 0f, ImpressionWeighting.WatchTime, 1f)]
    [InlineData(true, 42f, ImpressionWeighting.Unweighted, 1f)]
    [InlineData(true, float.NaN, ImpressionWeighting.WatchTime, 1f)]
    public void Clicked_impressions_weigh_their_watch_seconds_and_the_rest_one(bool clicked, float seconds, ImpressionWeighting weighting, float expected) =>
        Assert.Equal(expected, ImpressionWeights.Of(clicked, seconds, weighting));

    [Fact]
    public void With_continuation_a_click_also_weighs_the_clicks_mean_watch_the_next_slate_it_earns()
    {
        var continuation = ImpressionWeights.ContinuationSeconds([true, false, true, true], [30f, 0f, 50f, float.NaN]);

        Assert.Equal(40f, continuation);
        Assert.Equal(70f, ImpressionWeights.Of(true, 30f, ImpressionWeighting.WatchTimeAndContinuation, continuation));
        Assert.Equal(1f, ImpressionWeights.Of(false, 0f, ImpressionWeighting.WatchTimeAndContinuation, continuation));
        Assert.Equal(30f, ImpressionWeights.Of(true, 30f, ImpressionWeighting.WatchTime, continuation));
    }

    [Theory]
    [InlineData(ImpressionWeighting.WatchTime, new[] { 30f, float.NaN }, "watch-seconds")]
    [InlineData(ImpressionWeighting.WatchTimeAndContinuation, new[] { 30f, 0f }, "watch-seconds")]
    [InlineData(ImpressionWeighting.WatchTime, new[] { float.NaN, float.NaN }, "click-odds")]
    [InlineData(ImpressionWeighting.WatchTime, new[] { 0f, float.NaN }, "click-odds")]
    [InlineData(ImpressionWeighting.Unweighted, new[] { 30f, 50f }, "click-odds")]
    public void The_score_unit_is_watch_seconds_only_when_clicks_were_weighed_by_a_watch_time(ImpressionWeighting weighting, float[] clickSeconds, string unit) =>
        Assert.Equal(unit, ImpressionWeights.ScoreUnit([true, true, false], [.. clickSeconds, 99f], weighting));

    [Fact]
    public void A_negative_watch_time_is_refused() =>
        Assert.Throws<ArgumentException>(() => ImpressionWeights.Of(true, -3, ImpressionWeighting.WatchTime));

    /// <summary>
    /// Hand-worked: video A is shown 10 times, clicked twice with 30 s and 50 s of watching; video B
    /// is shown 10 times, clicked 5 times with 4 s each. Weighted logistic regression learns odds
    /// Σ watch time of the clicks / unclicked impressions: A (30 + 50) / 8 = 10, B 20 / 5 = 4; the
    /// unweighted model learns click odds: A 2 / 8 = 0.25, B 5 / 5 = 1.
    /// </summary>
    [Theory]
    [InlineData(ImpressionWeighting.WatchTime, 10.0, 4.0)]
    [InlineData(ImpressionWeighting.Unweighted, 0.25, 1.0)]
    public void The_learned_odds_are_the_expected_watch_time_or_the_click_odds(ImpressionWeighting weighting, double oddsA, double oddsB)
    {
        var set = new EncodedImpressions(20, continuous: 1);
        var clicked = new bool[20];
        var seconds = new float[20];
        for (var i = 0; i < 20; i++)
        {
            set.Video[i] = i < 10 ? 1 : 2;
        }
        (clicked[0], seconds[0]) = (true, 30);
        (clicked[1], seconds[1]) = (true, 50);
        for (var i = 10; i < 15; i++)
        {
            (clicked[i], seconds[i]) = (true, 4);
        }
        var shape = new RankingNetworkOptions(3, 4, 1, 4, 1, 4, 1, 4, 1, 4, 1, Powers: false, Tower: []);

        using var trainer = new RankingTrainer(shape, set, clicked, seconds, new RankingTrainingOptions(Epochs: 1500, BatchSize: 20, LearningRate: 0.05, Weighting: weighting, Seed: 3));
        var history = trainer.Train();
        var network = trainer.Network;
        var odds = network.Score(set, [0, 10]).Select(logit => Math.Exp(logit)).ToArray();
        Assert.Equal(oddsA, odds[0], oddsA * 0.02);
        Assert.Equal(oddsB, odds[1], oddsB * 0.02);
        Assert.True(history[^1].Loss < history[0].Loss);
    }
}

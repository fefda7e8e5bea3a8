
using Funnel.Evaluation.Ranking;

namespace Funnel.Evaluation.Tests.Ranking;

public sealed class WeightedPerUserLossTests
{
    [Fact]
    public void Mispredicted_watch_time_over_total_on_a_hand_worked_case()
    {
        ScoredImpression[] impressions =
        [
            // User 1, page 1: positives A (0.9, 100 s), B (0.2, 50 s); negatives C (0.5), D (0.1).
            // Pairs A–C, A–D, B–D are right; B–C is wrong: 50 s of 2·100 + 2·50 = 300 s.
            new(1, 1, 0.9f, true, 100), new(1, 1, 0.2f, true, 50), new(1, 1, 0.5f, false, 0), new(1, 1, 0.1f, false, 0),
            // User 2, page 1: a tie between positive E (10 s) and negative F counts half: 5 of 10 s.
            new(2, 1, 0.4f, true, 10), new(2, 1, 0.4f, false, 0),
            // User 2, page 2: no negative, so no pair; user 3: no positive.
            new(2, 2, 0.1f, true, 1000), new(3, 1, 0.9f, false, 0),
        ];

        var result = WeightedPerUserLoss.Compute(impressions);

        Assert.Equal(5, result.Pairs);
        Assert.Equal(55, result.MispredictedSeconds, 9);
        Assert.Equal(310, result.TotalSeconds, 9);
        Assert.Equal(55.0 / 310, result.Loss, 9);
    }

    [Fact]
    public void Pages_of_different_users_are_never_paired()
    {
        // Same page number, different users: a positive of user 1 and a higher negative of user 2.
        var result = WeightedPerUserLoss.Compute([new(1, 7, 0.1f, true, 30), new(2, 7, 0.9f, false, 0)]);

        Assert.Equal(0, result.Pairs);
        Assert.True(double.IsNaN(result.Loss));
    }

    [Fact]
    public void Scoring_everything_alike_loses_half_and_a_perfect_order_loses_nothing()
    {
        var random = new Random(3);
        var page = Enumerable.Range(0, 40).Select(i => (Clicked: i % 4 == 0, Seconds: 10.0 + random.Next(100))).ToArray();

        var constant = WeightedPerUserLoss.Compute(page.Select(p => new ScoredImpression(1, 1, 0.5f, p.Clicked, p.Seconds)));
        var perfect = WeightedPerUserLoss.Compute(page.Select(p => new ScoredImpression(1, 1, p.Clicked ? 1f : 0f, p.Clicked, p.Seconds)));

        Assert.Equal(0.5, constant.Loss, 9);
        Assert.Equal(0, perfect.Loss, 9);
    }

    [Fact]
    public void A_negative_or_infinite_watch_time_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => WeightedPerUserLoss.Compute([new(4, 2, 0.1f, true, -1), new(4, 2, 0.2f, false, 0)]));

        Assert.Contains("user 4, page 2", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => WeightedPerUserLoss.Compute([new(4, 2, 0.1f, true, double.PositiveInfinity), new(4, 2, 0.2f, false, 0)]));
    }

    [Fact]
    public void Clicks_without_watch_time_weigh_one_each()
    {
        // A clicks-only log: two positives, one negative between them → one of two pairs mis-ordered.
        ScoredImpression[] page = [new(1, 1, 0.9f, true, double.NaN), new(1, 1, 0.5f, false, 0), new(1, 1, 0.1f, true, double.NaN)];

        var result = WeightedPerUserLoss.Compute(page);

        Assert.Equal(0.5, result.Loss, 12);
        Assert.Equal(2, result.Pairs);
    }
}

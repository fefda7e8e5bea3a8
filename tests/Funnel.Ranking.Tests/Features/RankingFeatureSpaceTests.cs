using Funnel.Ranking.Features;

namespace Funnel.Ranking.Tests.Features;

public sealed class RankingFeatureSpaceTests
{
    private static readonly RankingFeatureSpace Space = new(
        new RankingVocabulary("videos", ["v1", "v2", "v3"]),
        new RankingVocabulary("channels", ["c1", "c2"]),
        new RankingVocabulary("languages", ["en", "fr"]),
        new RankingVocabulary("devices", ["phone", "tv"]),
        new RankingVocabulary("regions", ["US", "FR"]),
        [ContinuousFeature.CandidateScore],
        [QuantileNormalizer.Fit("candidate_score", [0.1, 0.5, 0.9], quantiles: 3)]);

    private static RankingInput Input(string video, string channel, string videoLanguage, string userLanguage, string device, string region, IReadOnlyList<string> watched) =>
        new(video, channel, videoLanguage, 1_700_000_000, 60, userLanguage, device, region, watched, default, new CandidateNomination(0.5f, 1), 1_700_000_100, SourceSignals.None);

    [Fact]
    public void Rows_resolved_by_the_caller_encode_as_the_ids_do()
    {
        var watched = new[] { "v2", "nope" };
        var inputs = new[]
        {
            Input("v1", "c1", "en", "fr", "tv", "FR", watched),
            Input("v3", "c9", "xx", "fr", "tv", "FR", watched),
            Input("unknown", "c2", "fr", "fr", "tv", "FR", watched),
        };
        var resolved = inputs.Select(i => i with { Rows = Space.RowsOf(i.VideoId, i.Channel, i.VideoLanguage) }).ToArray();

        var fromIds = Space.Encode(inputs);
        var fromRows = Space.Encode(resolved);

        Assert.Equal(new VideoRows(3, 2, 2), Space.RowsOf("v3", "c2", "fr"));
        Assert.Equal(new VideoRows(0, 0, 0), Space.RowsOf("unknown", "c9", "xx"));
        Assert.Equal(fromIds.Fingerprint(), fromRows.Fingerprint());
        Assert.Equal([1L, 3, 0], fromRows.Video);
        Assert.Equal([1L, 0, 2], fromRows.Channel);
        Assert.Equal([1L, 0, 2], fromRows.VideoLanguage);
    }

    [Fact]
    public void A_shared_watch_bag_and_user_rows_copied_from_the_previous_candidate_encode_as_rows_looked_up_afresh()
    {
        // The same strings as one object (one request's candidates) and as equal copies (a training batch).
        var watched = new[] { "v3", "v1" };
        var shared = new[] { Input("v1", "c1", "en", "fr", "tv", "FR", watched), Input("v2", "c2", "en", "fr", "tv", "FR", watched) };
        var copies = new[]
        {
            Input("v1", "c1", "en", new string("fr"), new string("tv"), new string("FR"), [.. watched]),
            Input("v2", "c2", "en", new string("fr"), new string("tv"), new string("FR"), [.. watched]),
        };
        var other = new[] { shared[0], Input("v2", "c2", "en", "en", "phone", "US", ["v2"]) };

        var encoded = Space.Encode(shared);

        Assert.Equal(Space.Encode(copies).Fingerprint(), encoded.Fingerprint());
        Assert.Equal([0, 0], encoded.BagOfRow);
        Assert.Equal(UserActivity.MaxRecent, encoded.Watched.Length);
        Assert.Equal([3L, 1], encoded.BagOf(1)[..2].ToArray());
        Assert.Equal([2L, 2], encoded.UserLanguage);
        Assert.Equal([2L, 2], encoded.Device);
        Assert.Equal([2L, 2], encoded.Region);
        var switched = Space.Encode(other);
        Assert.Equal([2L, 1], switched.UserLanguage);
        Assert.Equal([2L, 1], switched.Device);
        Assert.Equal([2L, 1], switched.Region);
        Assert.Equal(2, switched.Watched[UserActivity.MaxRecent]);
        Assert.Equal(0, switched.Watched[UserActivity.MaxRecent + 1]);
    }

    [Fact]
    public void One_impression_is_refused_by_a_set_whose_rows_share_a_bag()
    {
        var watched = new[] { "v2" };
        var shared = Space.Encode([Input("v1", "c1", "en", "fr", "tv", "FR", watched), Input("v2", "c2", "en", "fr", "tv", "FR", watched)]);

        var refused = Assert.Throws<ArgumentException>(() => Space.Encode(Input("v3", "c1", "en", "fr", "tv", "FR", ["v1"]), shared, 1));

        Assert.Contains("row 1", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, shared.BagOf(0)[0]);
    }
}

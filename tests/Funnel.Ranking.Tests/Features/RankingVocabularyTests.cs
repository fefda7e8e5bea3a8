using Funnel.Ranking.Features;

namespace Funnel.Ranking.Tests.Features;

public sealed class RankingVocabularyTests
{
    [Fact]
    public void Keeps_the_most_clicked_ids_and_maps_the_rest_to_the_zero_row()
    {
        // Clicks: id v7 three times, ids v3 and v9 twice (tie: v3 first), id v5 once; "" is the unknown id.
        var vocabulary = RankingVocabulary.Build("video", ["v7", "v9", "v3", "v7", "", "", "", "", "v5", "v3", "v9", "v7"], maxSize: 3);

        Assert.Equal(["v7", "v3", "v9"], vocabulary.Ids);
        Assert.Equal(4, vocabulary.Rows);
        Assert.Equal([1, 2, 3], new[] { "v7", "v3", "v9" }.Select(vocabulary.RowOf));
        Assert.Equal(RankingVocabulary.OutOfVocabulary, vocabulary.RowOf("v5"));
        Assert.Equal(RankingVocabulary.OutOfVocabulary, vocabulary.RowOf("never-seen"));
        Assert.Equal(RankingVocabulary.OutOfVocabulary, vocabulary.RowOf(""));
    }

    [Fact]
    public void Saved_ids_that_are_empty_or_repeated_are_refused()
    {
        Assert.Contains("repeated", Assert.Throws<ArgumentException>(() => new RankingVocabulary("channels", ["a", "b", "a"])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new RankingVocabulary("channels", ["a", ""]));
    }

    [Theory]
    // Grows with the logarithm of the vocabulary, within [4, 256].
    [InlineData(2, 4)]
    [InlineData(1_000, 40)]
    [InlineData(1_000_000, 80)]
    public void Embedding_width_grows_with_the_log_of_the_vocabulary(int rows, int width) =>
        Assert.Equal(width, RankingVocabulary.EmbeddingWidth(rows));
}

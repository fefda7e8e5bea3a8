using Funnel.Ranking.Features;

namespace Funnel.Ranking.Tests.Features;

public sealed class RankingVocabularyTests
{
    [Fact]
    public void Keeps_the_most_clicked_ids_and_maps_the_rest_to_the_zero_row()
    {
        // Clicks: id 7 three times, ids 3 and 9 twice (tie: 3 first), id 5 once.
        var vocabulary = RankingVocabulary.Build("video", [7, 9, 3, 7, 5, 3, 9, 7], maxSize: 3);

        Assert.Equal([7, 3, 9], vocabulary.Ids);
        Assert.Equal(4, vocabulary.Rows);
        Assert.Equal([1, 2, 3], new[] { 7, 3, 9 }.Select(vocabulary.RowOf));
        Assert.Equal(RankingVocabulary.OutOfVocabulary, vocabulary.RowOf(5));
        Assert.Equal(RankingVocabulary.OutOfVocabulary, vocabulary.RowOf(12345));
    }

    [Theory]
    // Grows with the logarithm of the vocabulary, within [4, 256].
    [InlineData(2, 4)]
    [InlineData(1_000, 40)]
    [InlineData(1_000_000, 80)]
    public void Embedding_width_grows_with_the_log_of_the_vocabulary(int rows, int width) =>
        Assert.Equal(width, RankingVocabulary.EmbeddingWidth(rows));
}

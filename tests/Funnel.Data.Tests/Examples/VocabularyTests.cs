using Funnel.Data.Examples;

namespace Funnel.Data.Tests.Examples;

public sealed class VocabularyTests
{
    [Fact]
    public void Keeps_the_most_frequent_keys_and_maps_the_rest_to_the_zero_row()
    {
        // Counts by key: 0→5, 1→0, 2→9, 3→5, 4→1. Size 3 keeps 2 (9), then 0 and 3 (5 each, smaller key first).
        var vocabulary = Vocabulary.FromCounts([5, 0, 9, 5, 1], size: 3);

        Assert.Equal(4, vocabulary.Rows);
        Assert.Equal([2, 0, 3], new[] { vocabulary.KeyOf(1), vocabulary.KeyOf(2), vocabulary.KeyOf(3) });
        Assert.Equal(1, vocabulary.RowOf(2));
        Assert.Equal(Vocabulary.OutOfVocabulary, vocabulary.RowOf(4));
        Assert.Equal(Vocabulary.OutOfVocabulary, vocabulary.RowOf(1));
        Assert.Equal(Vocabulary.OutOfVocabulary, vocabulary.RowOf(99));
        Assert.Equal(Vocabulary.OutOfVocabulary, vocabulary.RowOf(-1));
    }

    [Fact]
    public void Never_keeps_keys_that_were_not_seen()
    {
        var vocabulary = Vocabulary.FromCounts([0, 3, 0], size: 10);

        Assert.Equal(2, vocabulary.Rows);
        Assert.Equal(1, vocabulary.RowOf(1));
    }
}

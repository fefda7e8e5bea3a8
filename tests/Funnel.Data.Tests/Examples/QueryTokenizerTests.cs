using Funnel.Data.Examples;

namespace Funnel.Data.Tests.Examples;

public sealed class QueryTokenizerTests
{
    [Theory]
    [InlineData("Funny  CATS, dogs!", new[] { "funny", "cats", "dogs", "funny cats", "cats dogs" })]
    [InlineData("señor 2024", new[] { "señor", "2024", "señor 2024" })] // letters beyond ASCII and digits are word characters
    [InlineData("  ", new string[0])]
    [InlineData("one", new[] { "one" })] // a single word has no bigram
    public void Splits_into_unigrams_then_bigrams(string query, string[] expected)
    {
        Assert.Equal(expected, QueryTokenizer.Tokenize(query));
    }
}

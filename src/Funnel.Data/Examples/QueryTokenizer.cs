namespace Funnel.Data.Examples;

/// <summary>
/// Splits a search query into lower-case unigrams and bigrams (the paper's search tokens). Words are
/// runs of letters or digits; a bigram is two adjacent words joined by a space.
/// </summary>
public static class QueryTokenizer
{
    /// <summary>Appends the query's unigrams, then its bigrams, to <paramref name="tokens"/>.</summary>
    public static void Tokenize(string query, List<string> tokens)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= query.Length; i++)
        {
            var inWord = i < query.Length && char.IsLetterOrDigit(query[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(query[start..i].ToLowerInvariant());
                start = -1;
            }
        }
        tokens.AddRange(words);
        for (var i = 1; i < words.Count; i++)
        {
            tokens.Add(words[i - 1] + " " + words[i]);
        }
    }

    /// <summary>The query's tokens as a new list.</summary>
    public static List<string> Tokenize(string query)
    {
        var tokens = new List<string>();
        Tokenize(query, tokens);
        return tokens;
    }
}

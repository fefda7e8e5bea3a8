namespace Funnel.Retrieval;

/// <summary>A search result: the key of a stored vector and its score against the query (higher is nearer).</summary>
/// <param name="Key">The vector's key (for Funnel's model: the video's row in the vocabulary).</param>
/// <param name="Score">Inner product, or cosine for a cosine index.</param>
public readonly record struct Neighbour(long Key, float Score)
{
    /// <summary>
    /// The order of every result list: higher score first, and among equal scores the smaller key,
    /// so exact search is deterministic and approximate search can be compared with it.
    /// </summary>
    public static int Compare(Neighbour left, Neighbour right)
    {
        var byScore = right.Score.CompareTo(left.Score);
        return byScore != 0 ? byScore : left.Key.CompareTo(right.Key);
    }
}

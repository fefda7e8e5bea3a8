namespace Funnel.Retrieval.Filtering;

/// <summary>
/// Decides inside the search which keys may be returned (videos already watched, blocked, or not
/// available in the user's region are not). Applied while searching, so a search still returns k
/// results when many of the nearest vectors are excluded.
/// </summary>
public interface ISearchFilter
{
    /// <summary>True when <paramref name="key"/> may appear in the results.</summary>
    bool Allows(long key);
}

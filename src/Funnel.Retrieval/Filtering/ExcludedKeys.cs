namespace Funnel.Retrieval.Filtering;

/// <summary>A filter that rejects a set of keys (e.g. a user's watched videos).</summary>
public sealed class ExcludedKeys : ISearchFilter
{
    private readonly IReadOnlySet<long> excluded;

    /// <summary>Rejects every key in <paramref name="keys"/> (copied).</summary>
    public ExcludedKeys(IEnumerable<long> keys) => excluded = new HashSet<long>(keys);

    /// <summary>Rejects every key in <paramref name="keys"/>, read in place: the caller must not change it during a search.</summary>
    public ExcludedKeys(IReadOnlySet<long> keys) => excluded = keys;

    /// <summary>How many keys are rejected.</summary>
    public int Count => excluded.Count;

    /// <inheritdoc />
    public bool Allows(long key) => !excluded.Contains(key);
}

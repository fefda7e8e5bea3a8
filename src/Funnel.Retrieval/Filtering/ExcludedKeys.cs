namespace Funnel.Retrieval.Filtering;

/// <summary>A filter that rejects a fixed set of keys (e.g. a user's watched videos).</summary>
public sealed class ExcludedKeys : ISearchFilter
{
    private readonly HashSet<long> excluded;

    /// <summary>Rejects every key in <paramref name="keys"/>.</summary>
    public ExcludedKeys(IEnumerable<long> keys) => excluded = [.. keys];

    /// <summary>How many keys are rejected.</summary>
    public int Count => excluded.Count;

    /// <inheritdoc />
    public bool Allows(long key) => !excluded.Contains(key);
}

namespace Funnel.Retrieval.Filtering;

/// <summary>Allows a key only when every filter does (e.g. not watched, and available in the region).</summary>
public sealed class AllFilters(params ISearchFilter[] filters) : ISearchFilter
{
    /// <inheritdoc />
    public bool Allows(long key)
    {
        foreach (var filter in filters)
        {
            if (!filter.Allows(key))
            {
                return false;
            }
        }
        return true;
    }
}

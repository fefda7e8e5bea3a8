using Funnel.Retrieval.Exact;
using Funnel.Retrieval.Filtering;

namespace Funnel.Retrieval.Tests.Filtering;

public sealed class FilterTests
{
    [Fact]
    public void All_filters_allow_a_key_only_when_each_does()
    {
        // Not watched (1, 2) and available in the region (even keys).
        var filter = new AllFilters(new ExcludedKeys([1, 2]), new EvenKeys());

        Assert.Equal([4L, 6], new long[] { 1, 2, 3, 4, 5, 6 }.Where(filter.Allows));
    }

    [Fact]
    public void Excluded_keys_read_a_caller_set_in_place()
    {
        var watched = new HashSet<long> { 3 };
        var filter = new ExcludedKeys((IReadOnlySet<long>)watched);
        using var index = ExactIndex.Build([1, 0, 2, 0, 3, 0], [1, 2, 3], 2);

        Assert.Equal([2L, 1], index.Search([1, 0], 5, filter).Select(n => n.Key));
        Assert.Equal(1, filter.Count);
    }

    private sealed class EvenKeys : ISearchFilter
    {
        public bool Allows(long key) => key % 2 == 0;
    }
}

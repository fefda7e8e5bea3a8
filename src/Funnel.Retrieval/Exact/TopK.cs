using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Funnel.Retrieval.Filtering;

namespace Funnel.Retrieval.Exact;

/// <summary>
/// The k best (key, score) pairs seen so far, as a bounded binary heap whose root is the worst kept
/// pair: offering n pairs costs O(n log k) and k entries of memory, never a sort of all n.
/// </summary>
internal sealed class TopK
{
    private readonly long[] keys;
    private readonly float[] scores;

    /// <summary>Keeps at most <paramref name="k"/> pairs.</summary>
    public TopK(int k)
    {
        keys = new long[k];
        scores = new float[k];
    }

    /// <summary>Pairs kept so far.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// A score below this cannot enter (the worst kept score once full, else −∞): lets a caller skip
    /// the filter and the heap for most candidates with one comparison.
    /// </summary>
    public float Threshold => Count == keys.Length ? scores[0] : float.NegativeInfinity;

    /// <summary>Empties the heap for reuse.</summary>
    public void Clear() => Count = 0;

    /// <summary>Keeps the pair if it is among the k best so far (ties: the smaller key wins).</summary>
    public void Offer(long key, float score)
    {
        if (Count < keys.Length)
        {
            var position = Count++;
            keys[position] = key;
            scores[position] = score;
            SiftUp(position);
            return;
        }
        if (!IsWorse(scores[0], keys[0], score, key))
        {
            return;
        }
        keys[0] = key;
        scores[0] = score;
        SiftDown(0);
    }

    /// <summary>Offers a block of scores with their keys.</summary>
    public void OfferScores(ReadOnlySpan<float> blockScores, ReadOnlySpan<long> blockKeys, ISearchFilter? filter) =>
        OfferBlock(blockScores, blockKeys, filter, firstId: -1);

    /// <summary>
    /// Offers a block of scores under ids <paramref name="firstId"/> + row instead of their keys (a
    /// caller that must find the rows again keeps where they are); the filter still judges the keys.
    /// </summary>
    public void OfferRows(ReadOnlySpan<float> blockScores, ReadOnlySpan<long> blockKeys, ISearchFilter? filter, long firstId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstId);
        OfferBlock(blockScores, blockKeys, filter, firstId);
    }

    /// <summary>The kept ids (keys, or row ids), in heap order.</summary>
    public ReadOnlySpan<long> Ids => keys.AsSpan(0, Count);

    /// <summary>
    /// Once the heap is full almost no score beats its threshold, so 8 scores are compared at once
    /// and only the lanes that pass are visited.
    /// </summary>
    private void OfferBlock(ReadOnlySpan<float> blockScores, ReadOnlySpan<long> blockKeys, ISearchFilter? filter, long firstId)
    {
        var r = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var first = ref MemoryMarshal.GetReference(blockScores);
            for (; r + Vector256<float>.Count <= blockScores.Length; r += Vector256<float>.Count)
            {
                var passing = Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref first, (nuint)r), Vector256.Create(Threshold)).ExtractMostSignificantBits();
                while (passing != 0)
                {
                    var lane = r + BitOperations.TrailingZeroCount(passing);
                    OfferAllowed(blockKeys[lane], blockScores[lane], filter, firstId < 0 ? blockKeys[lane] : firstId + lane);
                    passing &= passing - 1;
                }
            }
        }
        for (; r < blockScores.Length; r++)
        {
            OfferAllowed(blockKeys[r], blockScores[r], filter, firstId < 0 ? blockKeys[r] : firstId + r);
        }
    }

    /// <summary>Offers the pair if <paramref name="filter"/> allows its key.</summary>
    public void OfferAllowed(long key, float score, ISearchFilter? filter) => OfferAllowed(key, score, filter, key);

    private void OfferAllowed(long key, float score, ISearchFilter? filter, long id)
    {
        // The threshold test first: most rows cannot enter, and the filter may cost a hash lookup.
        if (score >= Threshold && (filter is null || filter.Allows(key)))
        {
            Offer(id, score);
        }
    }

    /// <summary>The kept pairs, best first.</summary>
    public Neighbour[] ToSortedArray()
    {
        var result = new Neighbour[Count];
        for (var i = 0; i < Count; i++)
        {
            result[i] = new Neighbour(keys[i], scores[i]);
        }
        Array.Sort(result, Neighbour.Compare);
        return result;
    }

    /// <summary>True when pair a ranks below pair b (lower score, or equal score and larger key).</summary>
    private static bool IsWorse(float scoreA, long keyA, float scoreB, long keyB) =>
        scoreA < scoreB || (scoreA == scoreB && keyA > keyB);

    private void SiftUp(int position)
    {
        while (position > 0)
        {
            var parent = (position - 1) / 2;
            if (!IsWorse(scores[position], keys[position], scores[parent], keys[parent]))
            {
                return;
            }
            Swap(position, parent);
            position = parent;
        }
    }

    private void SiftDown(int position)
    {
        while (true)
        {
            var worst = position;
            var left = (2 * position) + 1;
            var right = left + 1;
            if (left < Count && IsWorse(scores[left], keys[left], scores[worst], keys[worst]))
            {
                worst = left;
            }
            if (right < Count && IsWorse(scores[right], keys[right], scores[worst], keys[worst]))
            {
                worst = right;
            }
            if (worst == position)
            {
                return;
            }
            Swap(position, worst);
            position = worst;
        }
    }

    private void Swap(int a, int b)
    {
        (keys[a], keys[b]) = (keys[b], keys[a]);
        (scores[a], scores[b]) = (scores[b], scores[a]);
    }
}

namespace Funnel.Data.Examples;

/// <summary>
/// One batch of candidate-generation inputs as flat arrays, laid out for EmbeddingBag (indices plus
/// per-example offsets) so a trainer wraps them as tensors without per-example work. Reused across
/// batches: arrays are allocated once and grow only when a bag overflows them.
/// </summary>
/// <remarks>
/// Shapes (B = <see cref="Count"/>): WatchRows[WatchRowCount] with WatchOffsets[B];
/// TokenRows[TokenRowCount] with TokenOffsets[B]; Labels[B]; Regions, Devices, Languages,
/// Genders[B]; Dense[B, <see cref="DenseWidth"/>]. Out-of-vocabulary ids are left out of the bags,
/// so they do not count in the mean; an empty bag averages to the zero vector.
/// </remarks>
public sealed class CandidateBatch
{
    /// <summary>
    /// Dense features per example: age, age², √age (age / 100, clamped to [0, 1]) and example age,
    /// its square and root (as a fraction of the training window; 0 at serving time).
    /// </summary>
    public const int DenseWidth = 6;

    /// <summary>Allocates a batch for up to <paramref name="capacity"/> examples.</summary>
    public CandidateBatch(int capacity, int expectedBagLength = 50)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        WatchRows = new long[capacity * Math.Max(1, expectedBagLength)];
        WatchOffsets = new long[capacity];
        TokenRows = new long[capacity * Math.Max(1, expectedBagLength)];
        TokenOffsets = new long[capacity];
        Labels = new long[capacity];
        Regions = new long[capacity];
        Devices = new long[capacity];
        Languages = new long[capacity];
        Genders = new long[capacity];
        Users = new int[capacity];
        Dense = new float[capacity * DenseWidth];
    }

    /// <summary>Most examples the batch holds.</summary>
    public int Capacity { get; }

    /// <summary>Examples in the batch.</summary>
    public int Count { get; internal set; }

    /// <summary>Watched-video embedding rows of all examples, concatenated.</summary>
    public long[] WatchRows { get; private set; }

    /// <summary>Used length of <see cref="WatchRows"/>.</summary>
    public int WatchRowCount { get; internal set; }

    /// <summary>Start of each example's bag in <see cref="WatchRows"/>.</summary>
    public long[] WatchOffsets { get; }

    /// <summary>Search-token embedding rows of all examples, concatenated.</summary>
    public long[] TokenRows { get; private set; }

    /// <summary>Used length of <see cref="TokenRows"/>.</summary>
    public int TokenRowCount { get; internal set; }

    /// <summary>Start of each example's bag in <see cref="TokenRows"/>.</summary>
    public long[] TokenOffsets { get; }

    /// <summary>Video-vocabulary row of each example's label (0 for queries, which have none).</summary>
    public long[] Labels { get; }

    /// <summary>Region category id of each example's user.</summary>
    public long[] Regions { get; }

    /// <summary>Device category id.</summary>
    public long[] Devices { get; }

    /// <summary>Language category id.</summary>
    public long[] Languages { get; }

    /// <summary>Gender (0 unknown, 1 female, 2 male).</summary>
    public long[] Genders { get; }

    /// <summary>Dense user index of each example.</summary>
    public int[] Users { get; }

    /// <summary>Dense features, row-major [Count, DenseWidth].</summary>
    public float[] Dense { get; }

    /// <summary>Makes room for <paramref name="more"/> watch rows after the used ones.</summary>
    internal long[] ReserveWatchRows(int more)
    {
        if (WatchRowCount + more > WatchRows.Length)
        {
            WatchRows = Grow(WatchRows, WatchRowCount + more);
        }
        return WatchRows;
    }

    /// <summary>Makes room for <paramref name="more"/> token rows after the used ones.</summary>
    internal long[] ReserveTokenRows(int more)
    {
        if (TokenRowCount + more > TokenRows.Length)
        {
            TokenRows = Grow(TokenRows, TokenRowCount + more);
        }
        return TokenRows;
    }

    private static long[] Grow(long[] rows, int needed)
    {
        var grown = new long[Math.Max(needed, rows.Length * 2)];
        rows.CopyTo(grown, 0);
        return grown;
    }
}

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
        HistoryPositions = new long[capacity];
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

    /// <summary>
    /// Sequence windows of the batch's users, row-major [WindowCount, WindowLength] (0 = padding),
    /// when the examples read their histories from windows (<see cref="TrainingSequences"/>) instead
    /// of their own watch bags.
    /// </summary>
    public long[] WindowRows { get; private set; } = [];

    /// <summary>Windows in the batch (0: every example has its own watch bag).</summary>
    public int WindowCount { get; private set; }

    /// <summary>Columns of each window.</summary>
    public int WindowLength { get; private set; }

    /// <summary>With windows, each example's history position: window × WindowLength + column, or -1 for an empty history.</summary>
    public long[] HistoryPositions { get; }

    /// <summary>Empties the batch, keeping its arrays.</summary>
    public void Clear()
    {
        Count = 0;
        WatchRowCount = 0;
        TokenRowCount = 0;
        WindowCount = 0;
    }

    /// <summary>
    /// Appends a window of <paramref name="rows"/>.Length columns (every window of a batch has the
    /// same); returns its index. Examples added after it read their histories from it once their
    /// <see cref="HistoryPositions"/> are set (the training builder does both).
    /// </summary>
    public int AddWindow(ReadOnlySpan<long> rows)
    {
        if (WindowCount > 0 && rows.Length != WindowLength)
        {
            throw new ArgumentException($"a window of {rows.Length} columns in a batch of {WindowLength}-column windows");
        }
        WindowLength = rows.Length;
        var needed = (WindowCount + 1) * rows.Length;
        if (needed > WindowRows.Length)
        {
            WindowRows = Grow(WindowRows, needed);
        }
        rows.CopyTo(WindowRows.AsSpan(WindowCount * rows.Length));
        return WindowCount++;
    }

    /// <summary>
    /// Appends one example from raw rows (out-of-vocabulary rows, 0, are skipped): how serving builds
    /// a user's batch from live history, and benchmarks from synthetic ids.
    /// </summary>
    /// <param name="watchRows">Video rows of the watch bag (at most the history cap, most recent last).</param>
    /// <param name="tokenRows">Token rows of the search bag.</param>
    /// <param name="label">The label's video row, or 0 when there is none.</param>
    /// <param name="region">Region category id.</param>
    /// <param name="device">Device category id.</param>
    /// <param name="language">Language category id.</param>
    /// <param name="gender">0 unknown, 1 female, 2 male.</param>
    /// <param name="ageYears">Age in years (0 unknown).</param>
    /// <param name="exampleAge">Example age as a fraction of the training window; 0 at serving time.</param>
    /// <param name="user">Dense user index, or -1.</param>
    /// <returns>The example's slot.</returns>
    public int Add(ReadOnlySpan<long> watchRows, ReadOnlySpan<long> tokenRows, long label, long region, long device, long language, long gender, int ageYears, double exampleAge, int user = -1)
    {
        if (Count == Capacity)
        {
            throw new InvalidOperationException($"the batch is full ({Capacity} examples)");
        }
        var slot = Count++;
        WatchOffsets[slot] = WatchRowCount;
        var watches = ReserveWatchRows(watchRows.Length);
        foreach (var row in watchRows)
        {
            if (row != Vocabulary.OutOfVocabulary)
            {
                watches[WatchRowCount++] = row;
            }
        }
        TokenOffsets[slot] = TokenRowCount;
        var tokens = ReserveTokenRows(tokenRows.Length);
        foreach (var row in tokenRows)
        {
            if (row != Vocabulary.OutOfVocabulary)
            {
                tokens[TokenRowCount++] = row;
            }
        }
        SetFeatures(slot, label, region, device, language, gender, ageYears, exampleAge, user);
        return slot;
    }

    /// <summary>Writes an example's label, categories and dense features (the one place they are normalised).</summary>
    internal void SetFeatures(int slot, long label, long region, long device, long language, long gender, int ageYears, double exampleAge, int user)
    {
        Labels[slot] = label;
        Users[slot] = user;
        Regions[slot] = region;
        Devices[slot] = device;
        Languages[slot] = language;
        Genders[slot] = gender;
        var age = Math.Clamp(ageYears / 100.0, 0.0, 1.0);
        exampleAge = Math.Clamp(exampleAge, 0.0, 1.0);
        var dense = Dense.AsSpan(slot * DenseWidth, DenseWidth);
        dense[0] = (float)age;
        dense[1] = (float)(age * age);
        dense[2] = (float)Math.Sqrt(age);
        dense[3] = (float)exampleAge;
        dense[4] = (float)(exampleAge * exampleAge);
        dense[5] = (float)Math.Sqrt(exampleAge);
    }

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

namespace Funnel.Data.Examples;

/// <summary>
/// Maps keys 0..KeyCount-1 (dense video indices, or token ids) to embedding rows 1..Size, most
/// frequent first. Row 0 is reserved for out-of-vocabulary keys: its embedding is zero and bags skip it.
/// </summary>
public sealed class Vocabulary
{
    /// <summary>The reserved out-of-vocabulary row.</summary>
    public const int OutOfVocabulary = 0;

    private readonly int[] rowOfKey;
    private readonly int[] keyOfRow;

    private Vocabulary(int[] rowOfKey, int[] keyOfRow)
    {
        this.rowOfKey = rowOfKey;
        this.keyOfRow = keyOfRow;
    }

    /// <summary>Rows including the reserved row 0: the embedding table's height.</summary>
    public int Rows => keyOfRow.Length;

    /// <summary>Number of keys the vocabulary can be asked about.</summary>
    public int KeyCount => rowOfKey.Length;

    /// <summary>The embedding row of a key, or <see cref="OutOfVocabulary"/>.</summary>
    public int RowOf(int key) => (uint)key < (uint)rowOfKey.Length ? rowOfKey[key] : OutOfVocabulary;

    /// <summary>The key of an embedding row (row ≥ 1).</summary>
    public int KeyOf(int row) => row is > 0 && row < keyOfRow.Length ? keyOfRow[row] : throw new ArgumentOutOfRangeException(nameof(row), row, $"rows are 1..{keyOfRow.Length - 1}");

    /// <summary>
    /// Keeps the <paramref name="size"/> most frequent keys with a count above zero; ties go to the
    /// smaller key, so the same counts always give the same vocabulary.
    /// </summary>
    public static Vocabulary FromCounts(ReadOnlySpan<long> counts, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var keys = new List<int>();
        for (var key = 0; key < counts.Length; key++)
        {
            if (counts[key] > 0)
            {
                keys.Add(key);
            }
        }
        var countArray = counts.ToArray();
        keys.Sort((a, b) => countArray[a] != countArray[b] ? countArray[b].CompareTo(countArray[a]) : a.CompareTo(b));
        var kept = Math.Min(size, keys.Count);
        var rowOfKey = new int[counts.Length];
        var keyOfRow = new int[kept + 1];
        keyOfRow[0] = -1;
        for (var row = 1; row <= kept; row++)
        {
            keyOfRow[row] = keys[row - 1];
            rowOfKey[keys[row - 1]] = row;
        }
        return new Vocabulary(rowOfKey, keyOfRow);
    }
}

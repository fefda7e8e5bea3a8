namespace Funnel.Ranking.Features;

/// <summary>
/// An ID space of the ranker (videos, channels, languages, …) in external ids: the <c>maxSize</c>
/// IDs with the most clicked impressions in training get rows 1..n, ties broken by ordinal order;
/// every other ID, and the empty "unknown" ID, maps to row 0, the out-of-vocabulary row whose
/// embedding is zero.
/// </summary>
public sealed class RankingVocabulary
{
    /// <summary>The row of every ID outside the vocabulary.</summary>
    public const int OutOfVocabulary = 0;

    private readonly Dictionary<string, int> rowOf;

    /// <summary>A vocabulary from saved IDs: ID <paramref name="ids"/>[i] gets row i + 1.</summary>
    public RankingVocabulary(string name, IReadOnlyList<string> ids)
    {
        Name = name;
        Ids = [.. ids];
        rowOf = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i].Length == 0 || !rowOf.TryAdd(ids[i], i + 1))
            {
                throw new ArgumentException($"vocabulary '{name}': id {i} ('{ids[i]}') is empty or repeated");
            }
        }
    }

    /// <summary>The ID space's name.</summary>
    public string Name { get; }

    /// <summary>The kept IDs; ID Ids[i] has row i + 1.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>Rows including the out-of-vocabulary row.</summary>
    public int Rows => Ids.Count + 1;

    /// <summary>Keeps the <paramref name="maxSize"/> IDs with the most clicked impressions among <paramref name="clickedIds"/>.</summary>
    public static RankingVocabulary Build(string name, IEnumerable<string> clickedIds, int maxSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, 1);
        var kept = clickedIds.Where(id => id.Length > 0)
            .CountBy(id => id, StringComparer.Ordinal)
            .OrderByDescending(pair => pair.Value)
            .ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Take(maxSize)
            .Select(pair => pair.Key)
            .ToArray();
        return new RankingVocabulary(name, kept);
    }

    /// <summary>The row of <paramref name="id"/>, or <see cref="OutOfVocabulary"/>.</summary>
    public int RowOf(string id) => rowOf.GetValueOrDefault(id, OutOfVocabulary);

    /// <summary>The embedding width for this vocabulary (<see cref="EmbeddingWidth(int, double)"/>).</summary>
    public int Width => EmbeddingWidth(Rows);

    /// <summary>
    /// Embedding width for an ID space of <paramref name="rows"/> rows: proportional to its
    /// logarithm, as the paper sizes its embeddings (§4.1), <paramref name="perDoubling"/> floats per
    /// doubling of the vocabulary, between 4 and 256 (e.g. 1,000 rows → 40, 1M rows → 80).
    /// </summary>
    public static int EmbeddingWidth(int rows, double perDoubling = 4) =>
        Math.Clamp((int)Math.Round(perDoubling * Math.Log2(Math.Max(rows, 2))), 4, 256);
}

namespace Funnel.Ranking.Features;

/// <summary>
/// An ID space of the ranker (impression videos, channels, languages, …): the <c>maxSize</c> IDs
/// with the most clicked impressions in training get rows 1..n, ties broken by the smaller ID;
/// every other ID maps to row 0, the out-of-vocabulary row whose embedding is zero.
/// </summary>
public sealed class RankingVocabulary
{
    /// <summary>The row of every ID outside the vocabulary.</summary>
    public const int OutOfVocabulary = 0;

    private readonly Dictionary<int, int> rowOf;

    private RankingVocabulary(string name, int[] ids)
    {
        Name = name;
        Ids = ids;
        rowOf = ids.Select((id, i) => (id, row: i + 1)).ToDictionary(p => p.id, p => p.row);
    }

    /// <summary>The ID space's name.</summary>
    public string Name { get; }

    /// <summary>The kept IDs; ID Ids[i] has row i + 1.</summary>
    public IReadOnlyList<int> Ids { get; }

    /// <summary>Rows including the out-of-vocabulary row.</summary>
    public int Rows => Ids.Count + 1;

    /// <summary>Keeps the <paramref name="maxSize"/> IDs with the most clicked impressions among <paramref name="clickedIds"/>.</summary>
    public static RankingVocabulary Build(string name, IEnumerable<int> clickedIds, int maxSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, 1);
        var kept = clickedIds.CountBy(id => id)
            .OrderByDescending(pair => pair.Value)
            .ThenBy(pair => pair.Key)
            .Take(maxSize)
            .Select(pair => pair.Key)
            .ToArray();
        return new RankingVocabulary(name, kept);
    }

    /// <summary>The row of <paramref name="id"/>, or <see cref="OutOfVocabulary"/>.</summary>
    public int RowOf(int id) => rowOf.GetValueOrDefault(id, OutOfVocabulary);

    /// <summary>
    /// Embedding width for an ID space of <paramref name="rows"/> rows: proportional to its
    /// logarithm, as the paper sizes its embeddings (§4.1), <paramref name="perDoubling"/> floats per
    /// doubling of the vocabulary, between 4 and 256 (e.g. 1,000 rows → 40, 1M rows → 80).
    /// </summary>
    public static int EmbeddingWidth(int rows, double perDoubling = 4) =>
        Math.Clamp((int)Math.Round(perDoubling * Math.Log2(Math.Max(rows, 2))), 4, 256);
}

namespace Funnel.Ranking.Sources;

/// <summary>
/// Co-visits counted since the tables were: what the service has added from live watches, to be
/// merged with <see cref="SourceTables"/> (<see cref="SourceTables.CoVisitScores"/>).
/// </summary>
/// <param name="Pairs">For each watched video looked up, the videos co-visited with it since, and how often.</param>
/// <param name="Watches">Watches since, per video (of every video in <paramref name="Pairs"/>, keys and values).</param>
public sealed record CoVisitDeltas(IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Pairs, IReadOnlyDictionary<string, int> Watches)
{
    /// <summary>Nothing since the tables.</summary>
    public static readonly CoVisitDeltas None = new(new Dictionary<string, IReadOnlyDictionary<string, int>>(), new Dictionary<string, int>());
}

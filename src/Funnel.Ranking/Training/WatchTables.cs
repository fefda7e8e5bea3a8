using Funnel.Ranking.Sources;

namespace Funnel.Ranking.Training;

/// <summary>What the ranking stage counts on the training side's watches for serving.</summary>
/// <param name="Popular">The most watched videos, most first: the slate of the last resort.</param>
/// <param name="Counts">The counts behind the co-visits and regional sources' tables.</param>
public sealed record WatchTables(string[] Popular, SourceCounts Counts);

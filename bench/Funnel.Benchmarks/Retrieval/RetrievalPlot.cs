
using Funnel.Runs.Reports;

namespace Funnel.Benchmarks.Retrieval;

/// <summary>The recall–queries/s curve of each approximate index (one point per search beam), as a PNG.</summary>
public static class RetrievalPlot
{
    /// <summary>Writes the plot to <paramref name="path"/>.</summary>
    public static void Save(string path, IReadOnlyList<RetrievalBenchmarkRow> rows)
    {
        var series = rows
            .Where(row => row.Param.StartsWith("ef=", StringComparison.Ordinal))
            .GroupBy(row => row.Index)
            .Select(group => new Series(group.Key, [.. group.Select(row => row.Recall)], [.. group.Select(row => row.Qps)]))
            .ToList();
        var first = rows[0];
        LineChart.Save(path, $"Recall@{first.K} against queries/s, one thread ({first.N:N0} × {first.Dim})", $"recall@{first.K}", "queries per second", series);
    }
}

using System.Globalization;
using System.Text;
using Funnel.Data.Examples;
using Funnel.Data.Storage;

namespace Funnel.Data.Statistics;

/// <summary>A dataset's statistics together with the examples each of some splits makes of it.</summary>
/// <param name="Data">Counts and distributions of the dataset.</param>
/// <param name="Splits">What each split produced, in the order asked.</param>
public sealed record DatasetReport(DatasetStatistics Data, IReadOnlyList<ExampleStatistics> Splits)
{
    /// <summary>What the first split asked for produced.</summary>
    public ExampleStatistics Examples => Splits[0];

    /// <summary>Opens the dataset, loads its timelines, splits it each way asked and summarises them.</summary>
    public static async Task<DatasetReport> BuildAsync(string path, IReadOnlyList<SplitOptions> splits, ExampleOptions options, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(splits.Count);
        var dataset = await Dataset.OpenAsync(path, cancellation).ConfigureAwait(false);
        var timelines = await TimelineLoader.LoadAsync(dataset, cancellation).ConfigureAwait(false);
        var data = await DatasetStatistics.ComputeAsync(dataset, timelines, options, cancellation).ConfigureAwait(false);
        return new DatasetReport(data, [.. splits.Select(split => ExampleStatistics.Of(DataSplit.Create(timelines, split, options)))]);
    }

    /// <summary>A Markdown section: one table for the data, one for the examples.</summary>
    public string ToMarkdown()
    {
        var c = Data.Counts;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"## {Data.Dataset}\n\n");
        text.Append("| users | videos | watches | searches | impressions | from | to | watches/user (median, max) | positives | CTR |\n");
        text.Append("|---:|---:|---:|---:|---:|---|---|---:|---:|---:|\n");
        text.Append(CultureInfo.InvariantCulture, $"| {c.Users:N0} | {c.Videos:N0} | {c.Watches:N0} | {c.Searches:N0} | {c.Impressions:N0} | {Date(Data.StartTime)} | {Date(Data.EndTime)} | {Data.WatchesPerUserMedian:N0}, {Data.WatchesPerUserMax:N0} | {Data.PositiveShare:P1} | {(Data.ClickThroughRate is { } ctr ? ctr.ToString("P2", CultureInfo.InvariantCulture) : "–")} |\n\n");
        text.Append("| split | training examples | users | mean watch history | mean search history | validation queries | test queries | truth/test query | video vocabulary | token vocabulary |\n");
        text.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var e in Splits)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {e.Split} | {e.TrainingExamples:N0} | {e.UsersWithExamples:N0} | {e.MeanWatchHistory:F1} | {e.MeanSearchHistory:F1} | {e.ValidationQueries:N0} | {e.TestQueries:N0} | {e.MeanTestTruth:F2} | {e.VideoVocabulary:N0} | {e.TokenVocabulary:N0} |\n");
        }
        return text.ToString();
    }

    private static string Date(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}

using Funnel.Data.Examples;
using Funnel.Data.Storage;

namespace Funnel.Data.Statistics;

/// <summary>What a dataset holds: counts, time range, and how watches spread over users.</summary>
/// <param name="Dataset">The dataset's name.</param>
/// <param name="Counts">Row counts per table.</param>
/// <param name="StartTime">Earliest event, Unix seconds.</param>
/// <param name="EndTime">Latest event, Unix seconds.</param>
/// <param name="UsersWithWatches">Users with at least one watch.</param>
/// <param name="WatchesPerUserMedian">Median watches of users with any.</param>
/// <param name="WatchesPerUserMax">Most watches of one user.</param>
/// <param name="PositiveShare">Share of watches that are positives under the example options.</param>
/// <param name="ClickThroughRate">Clicked share of impressions (null without impressions).</param>
public sealed record DatasetStatistics(
    string Dataset,
    TableCounts Counts,
    long StartTime,
    long EndTime,
    int UsersWithWatches,
    double WatchesPerUserMedian,
    int WatchesPerUserMax,
    double PositiveShare,
    double? ClickThroughRate)
{
    /// <summary>Computes the statistics from loaded timelines and one pass over the impressions.</summary>
    public static async Task<DatasetStatistics> ComputeAsync(Dataset dataset, Timelines timelines, ExampleOptions options, CancellationToken cancellation = default)
    {
        var perUser = Enumerable.Range(0, timelines.UserCount)
            .Select(u => timelines.WatchStart[u + 1] - timelines.WatchStart[u])
            .Where(n => n > 0)
            .Order()
            .ToArray();
        var positives = 0L;
        foreach (var completion in timelines.WatchCompletion)
        {
            if (options.IsPositive(completion))
            {
                positives++;
            }
        }
        long clicks = 0;
        await foreach (var chunk in dataset.ReadImpressionsAsync(cancellation).ConfigureAwait(false))
        {
            foreach (var impression in chunk)
            {
                clicks += impression.Clicked ? 1 : 0;
            }
        }
        var counts = dataset.Manifest.Counts;
        return new DatasetStatistics(
            dataset.Manifest.Name,
            counts,
            dataset.Manifest.StartTime,
            dataset.Manifest.EndTime,
            perUser.Length,
            perUser.Length == 0 ? 0 : perUser[perUser.Length / 2],
            perUser.Length == 0 ? 0 : perUser[^1],
            timelines.WatchCount == 0 ? 0 : (double)positives / timelines.WatchCount,
            counts.Impressions == 0 ? null : (double)clicks / counts.Impressions);
    }
}

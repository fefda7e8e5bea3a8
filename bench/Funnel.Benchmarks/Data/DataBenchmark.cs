using System.Diagnostics;
using System.Globalization;
using Funnel.Benchmarks.Measurement;
using Funnel.Data.Examples;
using Funnel.Data.Import;
using Funnel.Data.Storage;
using Funnel.Data.Synthetic;

namespace Funnel.Benchmarks.Data;

/// <summary>
/// funnel bench data: (a) synthesise a world, (b) import its watches, users and videos from CSV,
/// (c) make the paper's training examples and every training batch from it. Figures, not pass/fail.
/// </summary>
public static class DataBenchmark
{
    /// <summary>Runs the three phases; <paramref name="log"/> receives progress lines.</summary>
    public static async Task<IReadOnlyList<DataBenchmarkRow>> RunAsync(DataBenchmarkOptions options, Action<string> log, CancellationToken cancellation = default)
    {
        var work = Directory.CreateDirectory(options.WorkDirectory).FullName;
        try
        {
            var rows = new List<DataBenchmarkRow>();
            var synthPath = Path.Combine(work, "synth");
            log($"bench data: synthesising {options.World.Users:N0} users × {options.World.Days} days over {options.World.Videos:N0} videos");
            rows.Add(await MeasureAsync("synthesise", async () =>
            {
                var manifest = await WorldGenerator.GenerateAsync(options.World, synthPath, overwrite: true, cancellation: cancellation).ConfigureAwait(false);
                var c = manifest.Counts;
                return (c.Watches + c.Searches + c.Impressions, FormattableString.Invariant($"{c.Watches:N0} watches, {c.Searches:N0} searches, {c.Impressions:N0} impressions to Parquet"));
            }).ConfigureAwait(false));
            log(Describe(rows[^1]));

            var files = await CsvExport.WriteAsync(synthPath, Path.Combine(work, "csv"), cancellation).ConfigureAwait(false);
            rows.Add(await MeasureAsync("import-csv", async () =>
            {
                var result = await CsvImporter.ImportAsync(files, Path.Combine(work, "imported"), new ImportOptions(Overwrite: true), cancellation).ConfigureAwait(false);
                var c = result.Manifest.Counts;
                return (c.Watches, FormattableString.Invariant($"{c.Watches:N0} watch rows (+ {c.Users:N0} users, {c.Videos:N0} videos) from CSV, sorted, to Parquet"));
            }).ConfigureAwait(false));
            log(Describe(rows[^1]));

            rows.Add(await MeasureAsync("examples", async () =>
            {
                var dataset = await Dataset.OpenAsync(synthPath, cancellation).ConfigureAwait(false);
                var timelines = await TimelineLoader.LoadAsync(dataset, cancellation).ConfigureAwait(false);
                var split = DataSplit.Create(timelines, new SplitOptions(), new ExampleOptions());
                var builder = new CandidateBatchBuilder(split);
                long bagRows = 0;
                foreach (var batch in builder.TrainingBatches(options.BatchSize, epoch: 0))
                {
                    bagRows += batch.WatchRowCount + batch.TokenRowCount;
                }
                var events = timelines.WatchCount + (long)timelines.SearchTime.Length;
                return (events, FormattableString.Invariant($"load {timelines.WatchCount:N0} watches + {timelines.SearchTime.Length:N0} searches, temporal split, {split.Train.Count:N0} examples, all batches of {options.BatchSize} ({bagRows:N0} bag ids)"));
            }).ConfigureAwait(false));
            log(Describe(rows[^1]));
            return rows;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<DataBenchmarkRow> MeasureAsync(string phase, Func<Task<(long Events, string Detail)>> body)
    {
        PeakMemory.Reset();
        var clock = Stopwatch.StartNew();
        var (events, detail) = await body().ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        return new DataBenchmarkRow(phase, events, Math.Round(seconds, 3), Math.Round(events / seconds), Math.Round(PeakMemory.Megabytes()), detail);
    }

    private static string Describe(DataBenchmarkRow row) =>
        string.Create(CultureInfo.InvariantCulture, $"bench data: {row.Phase}: {row.Events:N0} events in {row.Seconds:F1} s = {row.EventsPerS:N0} events/s, peak {row.PeakMb:N0} MB ({row.Detail})");
}

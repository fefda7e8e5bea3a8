using System.Globalization;
using Funnel.Data.Import;
using Funnel.Data.Storage;
using nietras.SeparatedValues;

namespace Funnel.Benchmarks.Data;

/// <summary>Writes a dataset's users, videos and watches as the generic CSV import expects them (the import benchmark's input).</summary>
/// <remarks>Sep's NewRow(token) is for writers disposed asynchronously; this one checks cancellation once per row group.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2016", Justification = "See remarks: cancellation is checked per row group.")]
internal static class CsvExport
{
    public static async Task<CsvImportFiles> WriteAsync(string datasetPath, string folder, CancellationToken cancellation)
    {
        Directory.CreateDirectory(folder);
        var dataset = await Dataset.OpenAsync(datasetPath, cancellation).ConfigureAwait(false);
        var files = new CsvImportFiles(Path.Combine(folder, "watches.csv"), Path.Combine(folder, "users.csv"), Path.Combine(folder, "videos.csv"));
        using (var users = Sep.New(',').Writer().ToFile(files.Users!))
        {
            foreach (var user in dataset.Users)
            {
                using var row = users.NewRow();
                row["user_id"].Set(user.Id);
                row["age"].Format(user.Age);
                row["gender"].Set(user.Gender.ToString());
                row["region"].Set(user.Region);
                row["device"].Set(user.Device);
                row["language"].Set(user.Language);
            }
        }
        using (var videos = Sep.New(',').Writer().ToFile(files.Videos!))
        {
            foreach (var video in dataset.Videos)
            {
                using var row = videos.NewRow();
                row["video_id"].Set(video.Id);
                row["channel"].Set(video.Channel);
                row["upload_time"].Format(video.UploadTime);
                row["duration_seconds"].Format(video.DurationSeconds);
                row["language"].Set(video.Language);
                row["title"].Set(video.Title);
            }
        }
        using (var watches = Sep.New(',').Writer().ToFile(files.Watches))
        {
            await foreach (var chunk in dataset.ReadWatchesAsync(cancellation).ConfigureAwait(false))
            {
                cancellation.ThrowIfCancellationRequested();
                foreach (var watch in chunk)
                {
                    using var row = watches.NewRow();
                    row["user_id"].Set(dataset.Users[watch.User].Id);
                    row["video_id"].Set(dataset.Videos[watch.Video].Id);
                    row["timestamp"].Format(watch.Time);
                    row["watch_seconds"].Set(watch.WatchSeconds.ToString(CultureInfo.InvariantCulture));
                }
            }
        }
        return files;
    }
}

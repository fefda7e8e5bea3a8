using Funnel.Core;
using Funnel.Data.Model;
using nietras.SeparatedValues;

namespace Funnel.Data.Import;

/// <summary>
/// Generic logs as comma-separated files with a header row, or Parquet files with the same
/// columns; columns are found by name, in any order, extra columns are ignored (the column lists are on <see cref="CsvImportFiles"/> and in
/// docs/data.md). Timestamps are Unix seconds or ISO 8601. When a users (videos) file is given,
/// events naming an unknown user (video) are errors; without one, the catalogue is built from the
/// events. Completion, when not given, is watch_seconds / duration_seconds where both are known.
/// </summary>
public static class CsvImporter
{
    /// <summary>Imports the files into a dataset; each may be CSV or, by its .parquet extension, Parquet.</summary>
    public static async Task<ImportResult> ImportAsync(CsvImportFiles files, string output, ImportOptions options, CancellationToken cancellation = default)
    {
        using var parquet = new ParquetAsCsv();
        var issues = new ImportIssues(options.Lenient, parquet.Relocate);
        var builder = new DatasetBuilder();
        try
        {
            if (files.Users is not null)
            {
                ReadUsers(parquet.Readable(files.Users), builder, issues);
            }
            if (files.Videos is not null)
            {
                ReadVideos(parquet.Readable(files.Videos), builder, issues);
            }
            var catalogue = new Catalogue(builder, closedUsers: files.Users is not null, closedVideos: files.Videos is not null);
            var watches = parquet.Readable(files.Watches);
            var skippedBefore = issues.Skipped;
            ReadWatches(watches, catalogue, issues);
            if (builder.WatchCount == 0)
            {
                // A dataset without watches has nothing to train or evaluate on: refuse it here rather
                // than let a later command fail on it.
                throw new DataFormatException(watches, issues.Skipped > skippedBefore ? "no watch was imported: every row was rejected" : "no watches: the file has no rows after its header");
            }
            if (files.Searches is not null)
            {
                ReadSearches(parquet.Readable(files.Searches), catalogue, issues);
            }
            if (files.Impressions is not null)
            {
                ReadImpressions(parquet.Readable(files.Impressions), catalogue, issues);
            }
        }
        catch (DataFormatException error)
        {
            throw parquet.Relocate(error);
        }
        // Named by the folder it is written to: the watches file is often just "watches.csv".
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(output)));
        var manifest = await builder.WriteAsync(output, options.Overwrite, name, $"csv:{Path.GetFullPath(files.Watches)}", issues.ManifestProperties(), cancellation).ConfigureAwait(false);
        return new ImportResult(manifest, issues);
    }

    private static void ReadUsers(string path, DatasetBuilder builder, ImportIssues issues)
    {
        using var reader = DelimitedText.Open(path, ',', hasHeader: true);
        var columns = new Columns(path, reader.Header);
        var id = columns.Required("user_id");
        var age = columns.Optional("age");
        var gender = columns.Optional("gender");
        var region = columns.Optional("region");
        var device = columns.Optional("device");
        var language = columns.Optional("language");
        var occupation = columns.Optional("occupation");
        DelimitedText.ForEachRow(reader, path, columns.Count, issues, row =>
        {
            var user = new User(
                RequiredId(path, row, id, "user_id"),
                age < 0 || row[age].Span.Trim().IsEmpty ? 0 : DelimitedText.Int(path, row, age, "age"),
                gender < 0 ? Gender.Unknown : ParseGender(path, row, gender),
                Optional(row, region),
                Optional(row, device),
                Optional(row, language),
                Optional(row, occupation));
            if (!builder.TryAddUser(user))
            {
                throw new DataFormatException(path, row.LineNumberFrom, "user_id", $"duplicate user id '{user.Id}'");
            }
        });
    }

    private static void ReadVideos(string path, DatasetBuilder builder, ImportIssues issues)
    {
        using var reader = DelimitedText.Open(path, ',', hasHeader: true);
        var columns = new Columns(path, reader.Header);
        var id = columns.Required("video_id");
        var channel = columns.Optional("channel");
        var upload = columns.Optional("upload_time");
        var duration = columns.Optional("duration_seconds");
        var language = columns.Optional("language");
        var title = columns.Optional("title");
        var topics = columns.Optional("topics");
        DelimitedText.ForEachRow(reader, path, columns.Count, issues, row =>
        {
            var seconds = duration < 0 ? 0f : DelimitedText.Float(path, row, duration, "duration_seconds", 0f);
            if (seconds < 0)
            {
                throw new DataFormatException(path, row.LineNumberFrom, "duration_seconds", $"must not be negative, found {seconds}");
            }
            var video = new Video(
                RequiredId(path, row, id, "video_id"),
                Optional(row, channel),
                upload < 0 || row[upload].Span.Trim().IsEmpty ? 0 : DelimitedText.Timestamp(path, row, upload, "upload_time"),
                seconds,
                Optional(row, language),
                Optional(row, title),
                Optional(row, topics));
            if (!builder.TryAddVideo(video))
            {
                throw new DataFormatException(path, row.LineNumberFrom, "video_id", $"duplicate video id '{video.Id}'");
            }
        });
    }

    private static void ReadWatches(string path, Catalogue catalogue, ImportIssues issues)
    {
        using var reader = DelimitedText.Open(path, ',', hasHeader: true);
        var columns = new Columns(path, reader.Header);
        var user = columns.Required("user_id");
        var video = columns.Required("video_id");
        var time = columns.Required("timestamp");
        var seconds = columns.Optional("watch_seconds");
        var completion = columns.Optional("completion");
        DelimitedText.ForEachRow(reader, path, columns.Count, issues, row =>
        {
            var userIndex = catalogue.User(path, row, user);
            var videoIndex = catalogue.Video(path, row, video);
            var timestamp = DelimitedText.Timestamp(path, row, time, "timestamp");
            var watched = seconds < 0 ? float.NaN : DelimitedText.Float(path, row, seconds, "watch_seconds", float.NaN);
            if (watched < 0)
            {
                throw new DataFormatException(path, row.LineNumberFrom, "watch_seconds", $"must not be negative, found {watched}");
            }
            var completed = completion < 0 ? float.NaN : DelimitedText.Float(path, row, completion, "completion", float.NaN);
            if (completed is < 0 or > 1)
            {
                throw new DataFormatException(path, row.LineNumberFrom, "completion", $"expected a fraction in [0, 1], found {completed}");
            }
            if (float.IsNaN(completed))
            {
                var duration = catalogue.Builder.Videos[videoIndex].DurationSeconds;
                completed = duration > 0 && !float.IsNaN(watched) ? Math.Min(1f, watched / duration) : float.NaN;
            }
            catalogue.Builder.Add(new Watch(userIndex, videoIndex, timestamp, watched, completed));
        });
    }

    private static void ReadSearches(string path, Catalogue catalogue, ImportIssues issues)
    {
        using var reader = DelimitedText.Open(path, ',', hasHeader: true);
        var columns = new Columns(path, reader.Header);
        var user = columns.Required("user_id");
        var time = columns.Required("timestamp");
        var query = columns.Required("query");
        DelimitedText.ForEachRow(reader, path, columns.Count, issues, row =>
            catalogue.Builder.Add(new Search(catalogue.User(path, row, user), DelimitedText.Timestamp(path, row, time, "timestamp"), DelimitedText.Text(row, query))));
    }

    private static void ReadImpressions(string path, Catalogue catalogue, ImportIssues issues)
    {
        using var reader = DelimitedText.Open(path, ',', hasHeader: true);
        var columns = new Columns(path, reader.Header);
        var user = columns.Required("user_id");
        var video = columns.Required("video_id");
        var time = columns.Required("timestamp");
        var clicked = columns.Required("clicked");
        var page = columns.Optional("page_id");
        var position = columns.Optional("position");
        var seconds = columns.Optional("watch_seconds");
        DelimitedText.ForEachRow(reader, path, columns.Count, issues, row =>
        {
            var click = DelimitedText.Bool(path, row, clicked, "clicked");
            var timestamp = DelimitedText.Timestamp(path, row, time, "timestamp");
            catalogue.Builder.Add(new Impression(
                catalogue.User(path, row, user),
                catalogue.Video(path, row, video),
                timestamp,
                page < 0 ? timestamp : DelimitedText.Long(path, row, page, "page_id"),
                position < 0 ? 0 : DelimitedText.Int(path, row, position, "position"),
                click,
                seconds < 0 ? (click ? float.NaN : 0f) : DelimitedText.Float(path, row, seconds, "watch_seconds", click ? float.NaN : 0f)));
        });
    }

    private static string RequiredId(string path, SepReader.Row row, int column, string field)
    {
        var id = DelimitedText.Text(row, column);
        return id.Length > 0 ? id : throw new DataFormatException(path, row.LineNumberFrom, field, "empty id");
    }

    private static string Optional(SepReader.Row row, int column) => column < 0 ? "" : DelimitedText.Text(row, column);

    private static Gender ParseGender(string path, SepReader.Row row, int column) =>
        DelimitedText.Text(row, column).ToUpperInvariant() switch
        {
            "F" or "FEMALE" => Gender.Female,
            "M" or "MALE" => Gender.Male,
            "" or "U" or "UNKNOWN" => Gender.Unknown,
            var other => throw new DataFormatException(path, row.LineNumberFrom, "gender", $"expected M, F or empty, found '{other}'"),
        };

    /// <summary>Column positions by name, checked against the header.</summary>
    private sealed class Columns(string path, SepReaderHeader header)
    {
        public int Count => header.ColNames.Count;

        public int Required(string name) =>
            header.TryIndexOf(name, out var index)
                ? index
                : throw new DataFormatException(path, 1, name, $"missing required column (header has: {Shown(header.ColNames)})");

        /// <summary>The header's first names, each cut short: a file that is not CSV has one huge "name".</summary>
        private static string Shown(IReadOnlyList<string> names)
        {
            var shown = names.Take(12).Select(n => n.Length > 40 ? n[..40] + "…" : n);
            return string.Join(", ", shown) + (names.Count > 12 ? $", … ({names.Count} columns)" : "");
        }

        public int Optional(string name) => header.TryIndexOf(name, out var index) ? index : -1;
    }

    /// <summary>Resolves user and video ids of events against the catalogue.</summary>
    private sealed class Catalogue(DatasetBuilder builder, bool closedUsers, bool closedVideos)
    {
        public DatasetBuilder Builder => builder;

        public int User(string path, SepReader.Row row, int column)
        {
            var id = RequiredId(path, row, column, "user_id");
            if (!closedUsers)
            {
                return builder.UserOrAdd(id);
            }
            return builder.TryGetUser(id, out var index) ? index : throw new DataFormatException(path, row.LineNumberFrom, "user_id", $"unknown user '{id}' (not in the users file)");
        }

        public int Video(string path, SepReader.Row row, int column)
        {
            var id = RequiredId(path, row, column, "video_id");
            if (!closedVideos)
            {
                return builder.VideoOrAdd(id);
            }
            return builder.TryGetVideo(id, out var index) ? index : throw new DataFormatException(path, row.LineNumberFrom, "video_id", $"unknown video '{id}' (not in the videos file)");
        }
    }
}

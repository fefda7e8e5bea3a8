using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using Funnel.Core;
using Funnel.Data.Model;

namespace Funnel.Data.Import;

/// <summary>
/// The EB-NeRD news sample (behaviors.parquet, history.parquet) as a Funnel dataset: articles are
/// the videos, read time is the watch time. Read through DuckDB, whose Parquet reader handles the
/// nested list columns (Parquet.Net 6.1 does not).
/// </summary>
/// <remarks>
/// Impressions: one per in-view article of a behaviour row, page = impression_id, position = its
/// index in article_ids_inview, clicked if in article_ids_clicked, watch seconds = next_read_time
/// for clicks. Watches: every history read (read_time_fixed seconds) and every click in the
/// behaviour log (next_read_time), with completion = scroll percentage / 100 (NaN when absent; the
/// articles' lengths are not in the sample). Users: age (decade bucket), gender (EB-NeRD code 0 =
/// male, 1 = female, as its data dictionary gives them), region = "postcode-N", device = "device-N".
/// The article metadata file is not in the sample, so articles carry only their id and "da".
/// </remarks>
public static class EbNerdImporter
{
    private const string BehaviorColumns =
        "impression_id, user_id, impression_time, next_read_time, next_scroll_percentage, article_ids_inview, article_ids_clicked, age, gender, postcode, device_type";

    private const string HistoryColumns =
        "user_id, article_id_fixed, impression_time_fixed, read_time_fixed, scroll_percentage_fixed";

    /// <summary>Imports the folder holding behaviors.parquet and history.parquet.</summary>
    public static async Task<ImportResult> ImportAsync(string source, string output, ImportOptions options, CancellationToken cancellation = default)
    {
        var issues = new ImportIssues(options.Lenient);
        var builder = new DatasetBuilder();
        var behaviorsPath = Path.Combine(source, "behaviors.parquet");
        var historyPath = Path.Combine(source, "history.parquet");
        using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync(cancellation).ConfigureAwait(false);

        await ForEachRowAsync(connection, behaviorsPath, BehaviorColumns, (row, _) => AddUser(row, builder), issues, cancellation).ConfigureAwait(false);
        await ForEachRowAsync(connection, historyPath, HistoryColumns, (row, line) => AddHistory(historyPath, line, row, builder), issues, cancellation).ConfigureAwait(false);
        await ForEachRowAsync(connection, behaviorsPath, BehaviorColumns, (row, line) => AddBehavior(behaviorsPath, line, row, builder), issues, cancellation).ConfigureAwait(false);

        var manifest = await builder.WriteAsync(output, options.Overwrite, "ebnerd-sample", $"ebnerd:{Path.GetFullPath(source)}", issues.ManifestProperties(), cancellation).ConfigureAwait(false);
        return new ImportResult(manifest, issues);
    }

    /// <summary>Reads the file's rows in file order; the row number (1-based) stands in for a line in errors.</summary>
    private static async Task ForEachRowAsync(DuckDBConnection connection, string path, string columns, Action<DbDataReader, int> action, ImportIssues issues, CancellationToken cancellation)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file", path);
        }
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {columns} FROM read_parquet($path)";
        command.Parameters.Add(new DuckDBParameter("path", path));
        DbDataReader reader;
        try
        {
            reader = await command.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        }
        catch (DuckDBException error)
        {
            throw new DataFormatException(path, $"not an EB-NeRD table with columns {columns}: {error.Message}");
        }
        await using (reader.ConfigureAwait(false))
        {
            var row = 0;
            while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
            {
                row++;
                try
                {
                    action(reader, row);
                }
                catch (DataFormatException error)
                {
                    issues.Report(error);
                }
            }
        }
    }

    private static void AddUser(DbDataReader row, DatasetBuilder builder)
    {
        if (row.IsDBNull(1))
        {
            return;
        }
        builder.TryAddUser(new User(
            row.GetFieldValue<uint>(1).ToString(CultureInfo.InvariantCulture),
            Optional<sbyte>(row, 7) ?? 0,
            Optional<sbyte>(row, 8) switch { 0 => Gender.Male, 1 => Gender.Female, _ => Gender.Unknown },
            Optional<sbyte>(row, 9) is { } postcode ? $"postcode-{postcode}" : "",
            Optional<sbyte>(row, 10) is { } device ? $"device-{device}" : "",
            "da"));
    }

    private static void AddHistory(string path, int line, DbDataReader row, DatasetBuilder builder)
    {
        var user = builder.UserOrAdd(Required<uint>(path, line, row, 0, "user_id").ToString(CultureInfo.InvariantCulture));
        var articles = List<int?>(row, 1);
        var times = List<DateTime?>(row, 2);
        var readTimes = List<float?>(row, 3);
        var scrolls = List<float?>(row, 4);
        if (times.Count != articles.Count)
        {
            throw new DataFormatException(path, line, "impression_time_fixed", $"has {times.Count} entries but article_id_fixed has {articles.Count}");
        }
        for (var i = 0; i < articles.Count; i++)
        {
            var article = articles[i] ?? throw new DataFormatException(path, line, "article_id_fixed", $"missing value at index {i}");
            var time = times[i] ?? throw new DataFormatException(path, line, "impression_time_fixed", $"missing value at index {i}");
            var seconds = i < readTimes.Count ? readTimes[i] ?? float.NaN : float.NaN;
            var scroll = i < scrolls.Count ? scrolls[i] : null;
            builder.Add(new Watch(user, builder.VideoOrAdd(article.ToString(CultureInfo.InvariantCulture)), UnixSeconds(time), seconds, Completion(scroll)));
        }
    }

    private static void AddBehavior(string path, int line, DbDataReader row, DatasetBuilder builder)
    {
        var page = Required<uint>(path, line, row, 0, "impression_id");
        var user = builder.UserOrAdd(Required<uint>(path, line, row, 1, "user_id").ToString(CultureInfo.InvariantCulture));
        var time = UnixSeconds(Required<DateTime>(path, line, row, 2, "impression_time"));
        var readTime = Optional<float>(row, 3) ?? float.NaN;
        var clicked = List<int?>(row, 6).OfType<int>().Distinct().ToArray();
        var inView = List<int?>(row, 5);
        for (var position = 0; position < inView.Count; position++)
        {
            var article = inView[position] ?? throw new DataFormatException(path, line, "article_ids_inview", $"missing value at index {position}");
            var click = clicked.Contains(article);
            builder.Add(new Impression(user, builder.VideoOrAdd(article.ToString(CultureInfo.InvariantCulture)), time, page, position, click, click ? readTime : 0f));
        }
        foreach (var article in clicked)
        {
            builder.Add(new Watch(user, builder.VideoOrAdd(article.ToString(CultureInfo.InvariantCulture)), time, readTime, Completion(Optional<float>(row, 4))));
        }
    }

    private static T Required<T>(string path, int line, DbDataReader row, int column, string field) =>
        row.IsDBNull(column) ? throw new DataFormatException(path, line, field, "missing value") : row.GetFieldValue<T>(column);

    private static T? Optional<T>(DbDataReader row, int column)
        where T : struct =>
        row.IsDBNull(column) ? null : row.GetFieldValue<T>(column);

    private static List<T> List<T>(DbDataReader row, int column) =>
        row.IsDBNull(column) ? [] : row.GetFieldValue<List<T>>(column);

    private static float Completion(float? scrollPercentage) =>
        scrollPercentage is { } scroll && float.IsFinite(scroll) ? Math.Clamp(scroll / 100f, 0f, 1f) : float.NaN;

    private static long UnixSeconds(DateTime time) =>
        new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)).ToUnixTimeSeconds();
}

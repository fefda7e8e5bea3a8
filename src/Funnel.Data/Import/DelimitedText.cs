using System.Globalization;
using System.Text;
using Funnel.Core;
using nietras.SeparatedValues;

namespace Funnel.Data.Import;

/// <summary>
/// Reading delimited text with Sep, with every parse failure turned into a
/// <see cref="DataFormatException"/> that names the file, the line and the field.
/// </summary>
internal static class DelimitedText
{
    /// <summary>Opens a file; column counts are checked per row by the caller, so one short row is one error, not a crash.</summary>
    public static SepReader Open(string path, char separator, bool hasHeader, Encoding? encoding = null, bool quotes = true)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file", path);
        }
        var options = Sep.New(separator).Reader(o => o with
        {
            HasHeader = hasHeader,
            DisableColCountCheck = true,
            DisableQuotesParsing = !quotes,
            Unescape = quotes,
            CultureInfo = CultureInfo.InvariantCulture,
        });
        try
        {
            return encoding is null ? options.FromFile(path) : options.From(new StreamReader(path, encoding));
        }
        catch (ArgumentException error)
        {
            // Sep reads the header as it opens: a column named twice is refused there.
            throw new DataFormatException(path, 1, "", $"unusable header: {error.Message}");
        }
    }

    /// <summary>What to do with one row; throw <see cref="DataFormatException"/> to reject it.</summary>
    public delegate void RowAction(SepReader.Row row);

    /// <summary>
    /// Runs <paramref name="action"/> on every row with at least <paramref name="columns"/> columns;
    /// a rejected row stops a strict import and is counted by a lenient one.
    /// </summary>
    public static void ForEachRow(SepReader reader, string path, int columns, ImportIssues issues, RowAction action)
    {
        foreach (var row in reader)
        {
            try
            {
                RequireColumns(path, row, columns);
                action(row);
            }
            catch (DataFormatException error)
            {
                issues.Report(error);
            }
        }
    }

    /// <summary>Fails unless the row has at least <paramref name="count"/> columns.</summary>
    public static void RequireColumns(string path, SepReader.Row row, int count)
    {
        if (row.ColCount < count)
        {
            throw new DataFormatException(path, row.LineNumberFrom, "", $"expected {count} columns, found {row.ColCount}");
        }
    }

    public static string Text(SepReader.Row row, int column) => row[column].ToString().Trim();

    public static int Int(string path, SepReader.Row row, int column, string field) =>
        int.TryParse(row[column].Span.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Bad(path, row, field, column, "an integer");

    public static long Long(string path, SepReader.Row row, int column, string field) =>
        long.TryParse(row[column].Span.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Bad(path, row, field, column, "an integer");

    /// <summary>A finite float; an empty cell gives <paramref name="missing"/>.</summary>
    public static float Float(string path, SepReader.Row row, int column, string field, float missing)
    {
        var text = row[column].Span.Trim();
        if (text.IsEmpty)
        {
            return missing;
        }
        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && float.IsFinite(value)
            ? value
            : throw Bad(path, row, field, column, "a number");
    }

    /// <summary>The latest time a log may hold, 2200-01-01: a time in milliseconds is a thousand times a time in seconds, and lands far beyond it.</summary>
    public const long LatestTime = 7_258_118_400;

    /// <summary>Unix seconds up to <see cref="LatestTime"/>, or an ISO 8601 date/time (UTC unless an offset is given).</summary>
    public static long Timestamp(string path, SepReader.Row row, int column, string field)
    {
        var text = row[column].Span.Trim();
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds <= LatestTime
                ? seconds
                : throw new DataFormatException(path, row.LineNumberFrom, field, $"{seconds} is after the year 2200 in Unix seconds; milliseconds or microseconds? Convert to seconds (or ISO 8601)");
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time.ToUnixTimeSeconds();
        }
        throw Bad(path, row, field, column, "Unix seconds or an ISO 8601 time");
    }

    /// <summary>1/0, true/false, yes/no.</summary>
    public static bool Bool(string path, SepReader.Row row, int column, string field)
    {
        var text = row[column].ToString().Trim().ToUpperInvariant();
        return text switch
        {
            "1" or "TRUE" or "YES" => true,
            "0" or "FALSE" or "NO" or "" => false,
            _ => throw Bad(path, row, field, column, "1/0 or true/false"),
        };
    }

    private static DataFormatException Bad(string path, SepReader.Row row, string field, int column, string expected)
    {
        var shown = row[column].ToString();
        if (shown.Length > 40)
        {
            shown = shown[..40] + "…";
        }
        return new DataFormatException(path, row.LineNumberFrom, field, $"expected {expected}, found '{shown}'");
    }
}

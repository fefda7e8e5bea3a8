using System.Globalization;
using DuckDB.NET.Data;
using Funnel.Core;

namespace Funnel.Data.Import;

/// <summary>
/// Lets the generic importer read Parquet with the same column rules and checks as CSV: DuckDB
/// copies the file to CSV in a temporary folder, and errors about that copy are moved back onto the
/// Parquet file (line N of the copy is row N - 1 of the Parquet file, after the header).
/// </summary>
internal sealed class ParquetAsCsv : IDisposable
{
    private readonly Dictionary<string, string> originals = new(StringComparer.Ordinal);
    private string? folder;

    /// <summary>The path the CSV reader should open: the file itself, or a CSV copy of a Parquet file.</summary>
    public string Readable(string? path)
    {
        if (path is null || !path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            return path!;
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file", path);
        }
        folder ??= Directory.CreateTempSubdirectory("funnel-import-").FullName;
        var copy = Path.Combine(folder, Path.GetFileNameWithoutExtension(path) + originals.Count.ToString(CultureInfo.InvariantCulture) + ".csv");
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        // Timestamps as ISO 8601 in UTC, which the CSV parser reads back exactly.
        command.CommandText = $"SET TimeZone = 'UTC'; COPY (SELECT * FROM read_parquet('{Escape(path)}')) TO '{Escape(copy)}' (HEADER, DELIMITER ',', TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%S.%fZ')";
        try
        {
            command.ExecuteNonQuery();
        }
        catch (DuckDBException error)
        {
            throw new DataFormatException(path, $"not a readable Parquet file: {error.Message}");
        }
        originals[copy] = path;
        return copy;
    }

    /// <summary>The same error, about the Parquet file and its row when it was about a copy.</summary>
    public DataFormatException Relocate(DataFormatException error) =>
        originals.TryGetValue(error.File, out var original)
            ? new DataFormatException(original, Math.Max(0, error.Line - 1), error.Field, error.Problem)
            : error;

    public void Dispose()
    {
        if (folder is not null && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Escape(string path) => Path.GetFullPath(path).Replace("'", "''", StringComparison.Ordinal);
}

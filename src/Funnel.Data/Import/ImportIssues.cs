using Funnel.Core;

namespace Funnel.Data.Import;

/// <summary>
/// Collects malformed rows. Strict imports stop at the first one with its location; lenient imports
/// skip it and keep a count per reason, plus the first example of each, for the report.
/// </summary>
public sealed class ImportIssues
{
    private readonly Dictionary<string, int> countsByReason = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> firstExampleByReason = new(StringComparer.Ordinal);

    private readonly Func<DataFormatException, DataFormatException> relocate;

    /// <summary>Creates a collector; <paramref name="relocate"/> may restate errors about intermediate files.</summary>
    public ImportIssues(bool lenient, Func<DataFormatException, DataFormatException>? relocate = null)
    {
        Lenient = lenient;
        this.relocate = relocate ?? (error => error);
    }

    /// <summary>Whether bad rows are skipped.</summary>
    public bool Lenient { get; }

    /// <summary>Rows skipped in all.</summary>
    public int Skipped { get; private set; }

    /// <summary>Skipped rows per reason ("file field: problem").</summary>
    public IReadOnlyDictionary<string, int> CountsByReason => countsByReason;

    /// <summary>The first skipped row's full message, per reason.</summary>
    public IReadOnlyDictionary<string, string> FirstExampleByReason => firstExampleByReason;

    /// <summary>What the manifest keeps of the import's issues.</summary>
    public Dictionary<string, string> ManifestProperties() => new()
    {
        ["skippedRows"] = Skipped.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Throws the error when strict; records it when lenient.</summary>
    public void Report(DataFormatException error)
    {
        error = relocate(error);
        if (!Lenient)
        {
            throw error;
        }
        var reason = $"{Path.GetFileName(error.File)} {error.Field}: {error.Problem}";
        countsByReason[reason] = countsByReason.GetValueOrDefault(reason) + 1;
        firstExampleByReason.TryAdd(reason, error.Message);
        Skipped++;
    }
}

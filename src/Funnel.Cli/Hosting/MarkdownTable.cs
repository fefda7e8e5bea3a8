using System.Globalization;

namespace Funnel.Cli.Hosting;

/// <summary>A column of a printed table: its header, whether numbers align right, and how a row shows in it.</summary>
internal sealed record Column<T>(string Header, Func<T, object?> Cell, bool Numeric = true, string? Format = null);

/// <summary>Rows as a Markdown table on stdout: what the benchmarks and <c>funnel recommend</c> print without --json.</summary>
internal static class MarkdownTable
{
    public static void Print<T>(IEnumerable<T> rows, params Column<T>[] columns)
    {
        Console.WriteLine("| " + string.Join(" | ", columns.Select(c => c.Header)) + " |");
        Console.WriteLine("|" + string.Concat(columns.Select(c => c.Numeric ? "---:|" : "---|")));
        foreach (var row in rows)
        {
            Console.WriteLine("| " + string.Join(" | ", columns.Select(c => Show(c.Cell(row), c.Format))) + " |");
        }
    }

    private static string Show(object? value, string? format) => value switch
    {
        null => "",
        IFormattable number when format is not null => number.ToString(format, CultureInfo.InvariantCulture),
        IFormattable other => other.ToString(null, CultureInfo.InvariantCulture),
        // A title may hold the column separator.
        _ => (value.ToString() ?? "").Replace("|", "\\|", StringComparison.Ordinal),
    };
}

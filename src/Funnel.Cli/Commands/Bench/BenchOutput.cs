using Funnel.Cli.Hosting;

namespace Funnel.Cli.Commands.Bench;

/// <summary>What every benchmark prints: with --json its rows and the machine they ran on, else a Markdown table.</summary>
internal static class BenchOutput
{
    public static int Print<T>(IReadOnlyList<T> rows, bool json, params Column<T>[] columns)
    {
        if (json)
        {
            JsonOutput.Write(new { rows, machine = MachineDescription.Current() });
        }
        else
        {
            MarkdownTable.Print(rows, columns);
        }
        return ExitCodes.Success;
    }
}

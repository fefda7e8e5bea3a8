using System.CommandLine;
using Funnel.Cli.Hosting;
using Funnel.Data.Import;

namespace Funnel.Cli.Commands;

/// <summary>What every import prints, and the option they share.</summary>
internal static class ImportReport
{
    public static Option<bool> Lenient() => new("--lenient") { Description = "Skip malformed rows and report how many and why, instead of stopping at the first" };

    public static void Print(ImportResult result, string output, bool json)
    {
        var counts = result.Manifest.Counts;
        foreach (var (reason, count) in result.Issues.CountsByReason)
        {
            ProgressLog.Line($"skipped {count} row(s): {reason} (first: {result.Issues.FirstExampleByReason[reason]})");
        }
        if (json)
        {
            JsonOutput.Write(new { dataset = result.Manifest.Name, output, counts, skipped_rows = result.Issues.Skipped, skipped_by_reason = result.Issues.CountsByReason });
            return;
        }
        Console.WriteLine($"{output}: {counts.Users:N0} users, {counts.Videos:N0} videos, {counts.Watches:N0} watches, {counts.Searches:N0} searches, {counts.Impressions:N0} impressions; {result.Issues.Skipped:N0} rows skipped");
    }
}

using System.CommandLine;
using Funnel.Cli.Hosting;
using Funnel.Data.Import;

namespace Funnel.Cli.Commands;

/// <summary>funnel import movielens|ebnerd|obd|csv: source logs → a Funnel dataset folder.</summary>
internal static class ImportCommand
{
    private delegate Task<ImportResult> FolderImporter(string source, string output, ImportOptions options, CancellationToken cancellation);

    public static Command Create()
    {
        var command = new Command("import", "Import logs into a Funnel dataset folder (Parquet tables + manifest)");
        command.Subcommands.Add(FromFolder("movielens", "MovieLens 100K folder (u.data, u.user, u.item)", MovieLensImporter.ImportAsync));
        command.Subcommands.Add(FromFolder("ebnerd", "EB-NeRD sample folder (behaviors.parquet, history.parquet)", EbNerdImporter.ImportAsync));
        command.Subcommands.Add(FromFolder("obd", "Open Bandit Dataset folder (a campaign's log .csv and item_context.csv, searched below the folder)", OpenBanditImporter.ImportAsync));
        command.Subcommands.Add(Csv());
        return command;
    }

    private static Command FromFolder(string name, string description, FolderImporter importer)
    {
        var source = CommonOptions.RequiredPath("--source", "Folder of the source files");
        var output = CommonOptions.RequiredPath("--out", "Dataset folder to write");
        var (lenient, force, json) = (Lenient(), CommonOptions.Force(), CommonOptions.Json());
        var command = new Command(name, description) { source, output, lenient, force, json };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var result = await importer(parse.GetValue(source)!, parse.GetValue(output)!, new ImportOptions(parse.GetValue(lenient), parse.GetValue(force)), cancellation);
            Report(result, parse.GetValue(output)!, parse.GetValue(json));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Csv()
    {
        var watches = CommonOptions.RequiredPath("--watches", "CSV with user_id, video_id, timestamp[, watch_seconds][, completion]");
        var users = new Option<string>("--users") { Description = "CSV with user_id[, age, gender, region, device, language, occupation]" };
        var videos = new Option<string>("--videos") { Description = "CSV with video_id[, channel, upload_time, duration_seconds, language, title, topics]" };
        var searches = new Option<string>("--searches") { Description = "CSV with user_id, timestamp, query" };
        var impressions = new Option<string>("--impressions") { Description = "CSV with user_id, video_id, timestamp, clicked[, page_id, position, watch_seconds]" };
        var output = CommonOptions.RequiredPath("--out", "Dataset folder to write");
        var (lenient, force, json) = (Lenient(), CommonOptions.Force(), CommonOptions.Json());
        var command = new Command("csv", "Generic logs as CSV files with a header row, or Parquet files (.parquet) with the same columns (docs/data.md)") { watches, users, videos, searches, impressions, output, lenient, force, json };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var files = new CsvImportFiles(parse.GetValue(watches)!, parse.GetValue(users), parse.GetValue(videos), parse.GetValue(searches), parse.GetValue(impressions));
            var result = await CsvImporter.ImportAsync(files, parse.GetValue(output)!, new ImportOptions(parse.GetValue(lenient), parse.GetValue(force)), cancellation);
            Report(result, parse.GetValue(output)!, parse.GetValue(json));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Option<bool> Lenient() => new("--lenient") { Description = "Skip malformed rows and report how many and why, instead of stopping at the first" };

    private static void Report(ImportResult result, string output, bool json)
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

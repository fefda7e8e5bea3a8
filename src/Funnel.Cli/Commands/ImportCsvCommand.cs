using System.CommandLine;
using Funnel.Cli.Hosting;
using Funnel.Data.Import;

namespace Funnel.Cli.Commands;

/// <summary>funnel import csv: generic logs with documented columns → a Funnel dataset folder.</summary>
internal sealed class ImportCsvCommand : TypedCommand<ImportCsvCommand.Arguments>
{
    private readonly Option<string> watches = CommonOptions.RequiredPath("--watches", "CSV with user_id, video_id, timestamp[, watch_seconds][, completion]");
    private readonly Option<string?> users = new("--users") { Description = "CSV with user_id[, age, gender, region, device, language, occupation]" };
    private readonly Option<string?> videos = new("--videos") { Description = "CSV with video_id[, channel, upload_time, duration_seconds, language, title, topics]" };
    private readonly Option<string?> searches = new("--searches") { Description = "CSV with user_id, timestamp, query" };
    private readonly Option<string?> impressions = new("--impressions") { Description = "CSV with user_id, video_id, timestamp, clicked[, page_id, position, watch_seconds]" };
    private readonly Option<string> output = CommonOptions.RequiredPath("--out", "Dataset folder to write");
    private readonly Option<bool> lenient = ImportReport.Lenient();
    private readonly Option<bool> force = CommonOptions.Force();
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What the command was asked.</summary>
    internal sealed record Arguments(CsvImportFiles Files, string Output, ImportOptions Import, bool Json);

    protected override string Name => "csv";

    protected override string Description => "Generic logs as CSV files with a header row, or Parquet files (.parquet) with the same columns (docs/data.md)";

    protected override IEnumerable<Option> Options => [watches, users, videos, searches, impressions, output, lenient, force, json];

    protected override bool UsesTorch(Arguments arguments) => false;

    protected override Arguments Bind(ParseResult parse) => new(
        new CsvImportFiles(parse.GetRequiredValue(watches), parse.GetValue(users), parse.GetValue(videos), parse.GetValue(searches), parse.GetValue(impressions)),
        parse.GetRequiredValue(output),
        new ImportOptions(parse.GetValue(lenient), parse.GetValue(force)),
        parse.GetValue(json));

    protected override async Task<int> RunAsync(Arguments arguments, CancellationToken cancellation)
    {
        ImportReport.Print(await CsvImporter.ImportAsync(arguments.Files, arguments.Output, arguments.Import, cancellation), arguments.Output, arguments.Json);
        return ExitCodes.Success;
    }
}

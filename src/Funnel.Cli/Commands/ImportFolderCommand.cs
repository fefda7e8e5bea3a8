using System.CommandLine;
using Funnel.Cli.Hosting;
using Funnel.Data.Import;

namespace Funnel.Cli.Commands;

/// <summary>funnel import movielens|ebnerd|obd: a public dataset's folder → a Funnel dataset folder.</summary>
internal sealed class ImportFolderCommand(string name, string description, ImportFolderCommand.Importer importer) : TypedCommand<ImportFolderCommand.Arguments>
{
    private readonly Option<string> source = CommonOptions.RequiredPath("--source", "Folder of the source files");
    private readonly Option<string> output = CommonOptions.RequiredPath("--out", "Dataset folder to write");
    private readonly Option<bool> lenient = ImportReport.Lenient();
    private readonly Option<bool> force = CommonOptions.Force();
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>An importer of one source format.</summary>
    internal delegate Task<ImportResult> Importer(string source, string output, ImportOptions options, CancellationToken cancellation);

    /// <summary>What the command was asked.</summary>
    internal sealed record Arguments(string Source, string Output, ImportOptions Import, bool Json);

    protected override string Name => name;

    protected override string Description => description;

    protected override IEnumerable<Option> Options => [source, output, lenient, force, json];

    protected override bool UsesTorch(Arguments arguments) => false;

    protected override Arguments Bind(ParseResult parse) =>
        new(parse.GetRequiredValue(source), parse.GetRequiredValue(output), new ImportOptions(parse.GetValue(lenient), parse.GetValue(force)), parse.GetValue(json));

    protected override async Task<int> RunAsync(Arguments arguments, CancellationToken cancellation)
    {
        ImportReport.Print(await importer(arguments.Source, arguments.Output, arguments.Import, cancellation), arguments.Output, arguments.Json);
        return ExitCodes.Success;
    }
}

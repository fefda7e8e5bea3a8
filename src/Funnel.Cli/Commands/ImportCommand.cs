using System.CommandLine;
using Funnel.Data.Import;

namespace Funnel.Cli.Commands;

/// <summary>funnel import movielens|ebnerd|obd|csv: source logs → a Funnel dataset folder.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var command = new Command("import", "Import logs into a Funnel dataset folder (Parquet tables + manifest)");
        command.Subcommands.Add(new ImportFolderCommand("movielens", "MovieLens 100K folder (u.data, u.user, u.item)", MovieLensImporter.ImportAsync).Create());
        command.Subcommands.Add(new ImportFolderCommand("ebnerd", "EB-NeRD sample folder (behaviors.parquet, history.parquet)", EbNerdImporter.ImportAsync).Create());
        command.Subcommands.Add(new ImportFolderCommand("obd", "Open Bandit Dataset folder (a campaign's log .csv and item_context.csv, searched below the folder)", OpenBanditImporter.ImportAsync).Create());
        command.Subcommands.Add(new ImportCsvCommand().Create());
        return command;
    }
}

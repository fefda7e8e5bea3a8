using System.CommandLine;

namespace Funnel.Cli.Commands.Bench;

/// <summary>funnel bench: benchmarks that report figures (never pass/fail).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Benchmarks: figures for docs/benchmarks.md");
        command.Subcommands.Add(new BenchDataCommand().Create());
        command.Subcommands.Add(new BenchTrainingCommand().Create());
        command.Subcommands.Add(new BenchAttentionCommand().Create());
        command.Subcommands.Add(new BenchInferenceCommand().Create());
        command.Subcommands.Add(new BenchRetrievalCommand().Create());
        command.Subcommands.Add(new BenchRankingCommand().Create());
        command.Subcommands.Add(new BenchServingCommand().Create());
        command.Subcommands.Add(new BenchHotPathCommand().Create());
        command.Subcommands.Add(new BenchClusterCommand().Create());
        return command;
    }
}

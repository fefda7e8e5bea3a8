using System.CommandLine;

namespace Funnel.Cli.Commands;

/// <summary>funnel train candidates|ranking.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var command = new Command("train", "Train a model");
        command.Subcommands.Add(new TrainCandidatesCommand().Create());
        command.Subcommands.Add(new TrainRankingCommand().Create());
        return command;
    }
}

using System.CommandLine;

namespace Funnel.Cli.Commands;

/// <summary>The root `funnel` command and its subcommands (contract: ../shared/CLI.md).</summary>
internal static class FunnelCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Funnel: a two-stage deep recommender for .NET (candidate generation, then ranking), after Covington et al., RecSys 2016");
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(SynthCommand.Create());
        root.Subcommands.Add(StatsCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(RecommendCommand.Create());
        root.Subcommands.Add(ExperimentCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }
}

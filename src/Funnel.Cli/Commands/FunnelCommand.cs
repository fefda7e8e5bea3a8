using System.CommandLine;
using Funnel.Cli.Commands.Bench;

namespace Funnel.Cli.Commands;

/// <summary>The root `funnel` command and its subcommands (contract: ../shared/CLI.md).</summary>
internal static class FunnelCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Funnel: a two-stage deep recommender for .NET (candidate generation, then ranking), after Covington et al., RecSys 2016");
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(new SynthCommand().Create());
        root.Subcommands.Add(new StatsCommand().Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(new TuneCommand().Create());
        var evaluate = new EvaluateCommand().Create();
        evaluate.Subcommands.Add(new EvaluateRankingCommand().Create());
        root.Subcommands.Add(evaluate);
        root.Subcommands.Add(new ServeCommand().Create());
        root.Subcommands.Add(new RecommendCommand().Create());
        root.Subcommands.Add(new ExperimentCommand().Create());
        root.Subcommands.Add(new DemoCommand().Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }
}

using System.CommandLine;
using Funnel.Benchmarks.Data;
using Funnel.Cli.Hosting;
using Funnel.Data.Synthetic;

namespace Funnel.Cli.Commands;

/// <summary>funnel bench: benchmarks that report figures (never pass/fail).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Benchmarks: figures for docs/benchmarks.md");
        command.Subcommands.Add(Data());
        return command;
    }

    private static Command Data()
    {
        var world = DataBenchmarkOptions.TenMillionWatches;
        var users = new Option<int>("--users") { Description = "Users of the benchmark world (the default gives about 10M watches)", DefaultValueFactory = _ => world.Users };
        var videos = new Option<int>("--videos") { Description = "Videos of the benchmark world", DefaultValueFactory = _ => world.Videos };
        var days = new Option<int>("--days") { Description = "Days of the benchmark world", DefaultValueFactory = _ => world.Days };
        var work = new Option<string>("--work") { Description = "Scratch folder (deleted afterwards)", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "funnel-bench-data") };
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var command = new Command("data", "Synthesise, import from CSV and make training examples: events/s and peak memory per phase") { users, videos, days, work, seed, json };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var options = new DataBenchmarkOptions(new WorldOptions(parse.GetValue(users), parse.GetValue(videos), parse.GetValue(days), parse.GetValue(seed)).Validate(), parse.GetValue(work)!);
            var rows = await DataBenchmark.RunAsync(options, ProgressLog.Line, cancellation);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new { rows, machine = MachineDescription.Current() });
            }
            else
            {
                Console.WriteLine("| phase | events | seconds | events/s | peak MB |");
                Console.WriteLine("|---|---:|---:|---:|---:|");
                foreach (var row in rows)
                {
                    Console.WriteLine(FormattableString.Invariant($"| {row.Phase} | {row.Events:N0} | {row.Seconds:F1} | {row.EventsPerS:N0} | {row.PeakMb:N0} |"));
                }
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}

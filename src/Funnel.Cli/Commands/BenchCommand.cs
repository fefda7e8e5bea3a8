using System.CommandLine;
using Funnel.Benchmarks.Data;
using Funnel.Benchmarks.Training;
using Funnel.Candidates.Runtime;
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
        command.Subcommands.Add(Training());
        command.Subcommands.Add(Inference());
        return command;
    }

    private static Command Inference()
    {
        var videos = new Option<int>("--videos") { Description = "Video vocabulary size", DefaultValueFactory = _ => 1_000_000 };
        var seconds = new Option<double>("--seconds") { Description = "Timed period per batch size is at least half of this", DefaultValueFactory = _ => 8.0 };
        var peer = new Option<string?>("--peer") { Description = "Path of ../shared/peers/train_bench.py: run PyTorch back to back" };
        var json = CommonOptions.Json();
        var command = new Command("inference", "User-vector inference latency of the candidate network at batch 1 and 256") { videos, seconds, peer, json };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(() =>
        {
            TorchRuntime.Initialize();
            var rows = InferenceBenchmark.Run(parse.GetValue(videos), parse.GetValue(seconds), parse.GetValue(peer), ProgressLog.Line);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new { rows, machine = MachineDescription.Current() });
            }
            else
            {
                Console.WriteLine("| system | videos | batch | ms per user vector |");
                Console.WriteLine("|---|---:|---:|---:|");
                foreach (var row in rows)
                {
                    Console.WriteLine(FormattableString.Invariant($"| {row.System} | {row.Videos:N0} | {row.Batch} | {row.MsPerRequest} |"));
                }
            }
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static Command Training()
    {
        var videos = new Option<string>("--videos") { Description = "Video vocabulary sizes", DefaultValueFactory = _ => "100000,1000000" };
        var optimizers = new Option<string>("--optimizers") { Description = "Embedding-table optimisers: adagrad, lazy-adam", DefaultValueFactory = _ => "adagrad,lazy-adam" };
        var negatives = new Option<int>("--negatives") { Description = "Sampled negatives per batch", DefaultValueFactory = _ => 4096 };
        var seconds = new Option<double>("--seconds") { Description = "Shortest timed period per configuration", DefaultValueFactory = _ => 8.0 };
        var peer = new Option<string?>("--peer") { Description = "Path of ../shared/peers/train_bench.py: run PyTorch back to back (needs Debian's python3-torch)" };
        var json = CommonOptions.Json();
        var command = new Command("training", "Candidate network training throughput and memory at the paper's size (log-uniform ids)") { videos, optimizers, negatives, seconds, peer, json };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(() =>
        {
            TorchRuntime.Initialize();
            var chosen = parse.GetValue(optimizers)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (chosen.Any(o => o is not ("adagrad" or "lazy-adam")))
            {
                throw new ArgumentException($"--optimizers: expected adagrad and/or lazy-adam, got '{parse.GetValue(optimizers)}'");
            }
            var options = new TrainingBenchmarkOptions(OptionParsing.IntList("--videos", parse.GetValue(videos)!), chosen, parse.GetValue(negatives), MinSeconds: parse.GetValue(seconds), PeerScript: parse.GetValue(peer));
            var rows = TrainingBenchmark.Run(options, ProgressLog.Line);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new { rows, machine = MachineDescription.Current() });
            }
            else
            {
                Console.WriteLine("| system | videos | optimizer | examples/s | ms/step | peak MB | RSS growth MB |");
                Console.WriteLine("|---|---:|---|---:|---:|---:|---:|");
                foreach (var row in rows)
                {
                    Console.WriteLine(FormattableString.Invariant($"| {row.System} | {row.Videos:N0} | {row.Optimizer} | {row.ExamplesPerS:N0} | {row.MsPerStep} | {row.PeakMb:N0} | {row.RssGrowthMb} |"));
                }
            }
            return Task.FromResult(ExitCodes.Success);
        }));
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

using System.CommandLine;
using Funnel.Benchmarks.Data;
using Funnel.Benchmarks.Ranking;
using Funnel.Benchmarks.Retrieval;
using Funnel.Benchmarks.Serving;
using Funnel.Benchmarks.Training;
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
        command.Subcommands.Add(Retrieval());
        command.Subcommands.Add(Ranking());
        command.Subcommands.Add(Serving());
        return command;
    }

    private static Command Serving()
    {
        var model = CommonOptions.RequiredPath("--model", "Model folder to serve (candidates, index, ranker)");
        var connections = new Option<string>("--connections") { Description = "Concurrency levels", DefaultValueFactory = _ => "1,8,64" };
        var seconds = new Option<double>("--seconds") { Description = "Timed seconds per level", DefaultValueFactory = _ => 20.0 };
        var users = new Option<int>("--users") { Description = "Users with a history", DefaultValueFactory = _ => 1_000 };
        var candidates = new Option<int>("--candidates") { Description = "Candidates ranked per request", DefaultValueFactory = _ => 300 };
        var reloads = new Option<int>("--reloads") { Description = "Model reloads during the hot-swap phase (0 skips it)", DefaultValueFactory = _ => 10 };
        var noKill = new Option<bool>("--no-kill9") { Description = "Skip the kill -9 phase (a separate service process killed during event ingestion)" };
        var separate = new Option<bool>("--separate-process") { Description = "Also measure the load levels against funnel serve in a process of its own (the generator's allocations and pauses stay out of the server)" };
        var work = new Option<string>("--work") { Description = "Scratch folder (deleted afterwards)", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "funnel-bench-serving") };
        var synthetic = new Option<int?>("--synthetic-videos") { Description = "First write an untrained paper-sized model of this many videos (HNSW index) into --model, unless it already holds a model" };
        var json = CommonOptions.Json();
        var command = new Command("serving", "The service under load over loopback: requests/s, p50/p99 at each concurrency, during hot swaps, and acknowledged events after kill -9") { model, connections, seconds, users, candidates, reloads, noKill, separate, work, synthetic, json };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            if (parse.GetValue(synthetic) is { } videos && !File.Exists(Path.Combine(parse.GetValue(model)!, "model.json")))
            {
                SyntheticServingModel.Write(parse.GetValue(model)!, videos, ProgressLog.Line);
            }
            var options = new ServingBenchmarkOptions(
                parse.GetValue(model)!,
                OptionParsing.IntList("--connections", parse.GetValue(connections)!),
                parse.GetValue(seconds),
                parse.GetValue(users),
                parse.GetValue(candidates),
                parse.GetValue(reloads),
                parse.GetValue(work)!,
                ServerCommand(),
                KillNine: !parse.GetValue(noKill),
                SeparateProcess: parse.GetValue(separate));
            var rows = await ServingBenchmark.RunAsync(options, ProgressLog.Line, cancellation);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new { rows, machine = MachineDescription.Current() });
            }
            else
            {
                Console.WriteLine("| phase | connections | requests/s | p50 ms | p99 ms | errors | requests | reloads |");
                Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
                foreach (var row in rows)
                {
                    Console.WriteLine(FormattableString.Invariant($"| {row.Phase} | {row.Connections} | {row.Rps:N0} | {row.P50Ms} | {row.P99Ms} | {row.Errors} | {row.Requests:N0} | {row.Reloads} |"));
                }
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>How to start this funnel again as a separate process: the apphost, or dotnet with the dll.</summary>
    private static (string, string[]) ServerCommand()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [typeof(BenchCommand).Assembly.Location])
            : (process, []);
    }

    private static Command Ranking()
    {
        var model = new Option<string?>("--model") { Description = "A model folder whose trained ranker to measure (default: a paper-sized ranker, 100k videos, 1024→512→256, random weights)" };
        var candidates = new Option<string>("--candidates") { Description = "Candidates per request", DefaultValueFactory = _ => "100,300,1000" };
        var seconds = new Option<double>("--seconds") { Description = "Shortest timed period per measurement", DefaultValueFactory = _ => 5.0 };
        var json = CommonOptions.Json();
        var command = new Command("ranking", "Ranker latency for one request's candidates (encode + batched forward) and training throughput") { model, candidates, seconds, json };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(() =>
        {
            var rows = RankingBenchmark.Run(parse.GetValue(model), OptionParsing.IntList("--candidates", parse.GetValue(candidates)!), parse.GetValue(seconds), ProgressLog.Line);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new { rows, machine = MachineDescription.Current() });
            }
            else
            {
                Console.WriteLine("| stage | tower | candidates or batch | p50 ms | p99 ms | encoding share of p50 | per second |");
                Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
                foreach (var row in rows)
                {
                    Console.WriteLine(FormattableString.Invariant($"| {row.Stage} | {row.Tower} | {row.Candidates:N0} | {row.P50Ms} | {row.P99Ms} | {row.EncodeShareP50:P0} | {row.PerSecond:N0} |"));
                }
            }
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static Command Retrieval()
    {
        var defaultData = Path.Combine(Environment.GetEnvironmentVariable("PEERS_OUT") ?? Path.Combine(Path.GetTempPath(), "funnel-peers"), "data");
        var data = new Option<string>("--data-dir") { Description = "Folder of ../shared/peers/gen_ann_data.py's raw files", DefaultValueFactory = _ => defaultData };
        var count = new Option<int>("--n") { Description = "Stored vectors (the N of base_{N}x{D}.f32)", DefaultValueFactory = _ => 300_000 };
        var dimensions = new Option<int>("--dim") { Description = "Vector length", DefaultValueFactory = _ => 256 };
        var tag = new Option<string>("--tag") { Description = "File-name prefix of the set (gen_ann_data.py's lr_, gen_cos.py's cos_)", DefaultValueFactory = _ => "" };
        var expansions = new Option<string>("--ef") { Description = "Search beam widths to sweep", DefaultValueFactory = _ => string.Join(',', RetrievalBenchmarkOptions.DefaultExpansions) };
        var strategies = new Option<string>("--strategies") { Description = "HNSW inner-product strategies: angular, raw, reduction", DefaultValueFactory = _ => "angular,raw,reduction" };
        var precisions = new Option<string>("--precisions") { Description = "HNSW vector precisions: f32, f16, i8", DefaultValueFactory = _ => "f32" };
        var peer = new Option<string?>("--peer") { Description = "Path of ../shared/peers/ann_bench.py: sweep hnswlib on the same files (needs Debian's python3-hnswlib)" };
        var plot = new Option<string?>("--plot") { Description = "Write the recall–queries/s plot to this PNG" };
        var model = new Option<string?>("--model") { Description = "Instead of a generated set: export this model's video vectors and test users' vectors (tag model_) and measure on them" };
        var modelData = new Option<string?>("--data") { Description = "The dataset the --model was trained on" };
        var json = CommonOptions.Json();
        var command = new Command("retrieval", "Exact and HNSW search: build time, memory, recall@100 against exact, queries/s") { data, count, dimensions, tag, expansions, strategies, precisions, peer, plot, model, modelData, json };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var (setTag, setCount, setDimensions) = (parse.GetValue(tag)!, parse.GetValue(count), parse.GetValue(dimensions));
            if (parse.GetValue(model) is { } modelFolder)
            {
                var dataset = parse.GetValue(modelData) ?? throw new ArgumentException("--model needs --data, the dataset it was trained on");
                setTag = "model_";
                (setCount, setDimensions) = await ModelVectorSet.ExportAsync(dataset, modelFolder, parse.GetValue(data)!, setTag, cancellation);
                ProgressLog.Line($"bench retrieval: exported {setCount:N0} video vectors of {setDimensions} dimensions and 1,000 test users from {modelFolder}");
            }
            var options = new RetrievalBenchmarkOptions(
                parse.GetValue(data)!,
                setTag,
                setCount,
                setDimensions,
                OptionParsing.IntList("--ef", parse.GetValue(expansions)!),
                parse.GetValue(strategies)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                parse.GetValue(peer),
                parse.GetValue(precisions)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            var rows = RetrievalBenchmark.Run(options, ProgressLog.Line);
            if (parse.GetValue(plot) is { } path)
            {
                RetrievalPlot.Save(path, rows);
            }
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new { rows, machine = MachineDescription.Current() });
            }
            else
            {
                Console.WriteLine("| index | n | param | recall@100 | queries/s | threads | build s | memory MB |");
                Console.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|");
                foreach (var row in rows)
                {
                    Console.WriteLine(FormattableString.Invariant($"| {row.Index} | {row.N:N0} | {row.Param} | {row.Recall:F3} | {row.Qps:N0} | {row.Threads} | {row.BuildS:F1} | {row.MemoryMb:N0} |"));
                }
            }
            return ExitCodes.Success;
        }));
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

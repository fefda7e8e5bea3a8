using System.CommandLine;
using System.Globalization;
using System.Text;
using Funnel.Candidates.Evaluation;
using Funnel.Candidates.Model;
using Funnel.Candidates.Runtime;
using Funnel.Candidates.Training;
using Funnel.Cli.Hosting;
using Funnel.Data;
using Funnel.Data.Examples;
using Funnel.Data.Import;
using Funnel.Data.Statistics;
using Funnel.Data.Synthetic;

namespace Funnel.Cli.Commands;

/// <summary>
/// funnel demo: the whole pipeline on the embedded defaults. So far: import MovieLens 100K (when the
/// shared datasets are present), generate a small synthetic world, report the datasets and the
/// training examples the paper's rules make of them, then train the candidate network on the world
/// and evaluate it against the baselines.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The synthetic world of the demo: a couple of seconds to generate.</summary>
    public static readonly WorldOptions DemoWorld = new(Users: 3_000, Videos: 8_000, Days: 28, Seed: 1);

    /// <summary>A small network so the demo trains in well under a minute on two cores.</summary>
    public static readonly NetworkShape DemoNetwork = new(64, [256, 128, 64]);

    /// <summary>The demo's training budget.</summary>
    public static readonly CandidateTrainingOptions DemoTraining = new(Epochs: 4, Softmax: new SampledSoftmaxOptions(Negatives: 1_024));

    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for the demo's datasets and report", DefaultValueFactory = _ => "funnel-demo" };
        var datasets = new Option<string?>("--datasets") { Description = "Folder holding ml-100k/ (default: FUNNEL_DATASETS, else ../shared/datasets found above the current folder)" };
        var seed = CommonOptions.Seed();
        var command = new Command("demo", "Run the pipeline on the embedded defaults and write a report") { output, datasets, seed };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var folder = Directory.CreateDirectory(parse.GetValue(output)!).FullName;
            var examples = new ExampleOptions(Seed: parse.GetValue(seed));
            var report = new StringBuilder("# Funnel demo\n\n");
            report.Append(CultureInfo.InvariantCulture, $"Generated {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC with seed {examples.Seed}; temporal split (last 10% of watches for test, 10% before for validation).\n\n");

            var movieLens = SharedDatasets.Find(parse.GetValue(datasets), "ml-100k");
            if (movieLens is null)
            {
                ProgressLog.Line("demo: ml-100k not found (set --datasets or FUNNEL_DATASETS); skipping it");
            }
            else
            {
                ProgressLog.Line($"demo: importing {movieLens}");
                await MovieLensImporter.ImportAsync(movieLens, Path.Combine(folder, "ml-100k"), new ImportOptions(Overwrite: true), cancellation);
                report.Append(await DescribeAsync(Path.Combine(folder, "ml-100k"), examples, cancellation));
            }

            ProgressLog.Line($"demo: generating a synthetic world ({DemoWorld.Users:N0} users, {DemoWorld.Videos:N0} videos, {DemoWorld.Days} days)");
            var world = DemoWorld with { Seed = examples.Seed };
            await WorldGenerator.GenerateAsync(world, Path.Combine(folder, "synth"), overwrite: true, cancellation: cancellation);
            report.Append(await DescribeAsync(Path.Combine(folder, "synth"), examples, cancellation));

            ProgressLog.Line("demo: training the candidate network on the synthetic world");
            TorchRuntime.Initialize();
            var model = Path.Combine(folder, "models", "synth");
            if (Directory.Exists(model))
            {
                // A demo run starts from scratch; `funnel train` is the command that resumes.
                Directory.Delete(model, recursive: true);
            }
            await CandidateTrainingRun.RunAsync(Path.Combine(folder, "synth"), model, new SplitOptions(), examples, DemoNetwork, DemoTraining with { Seed = examples.Seed }, progress: TrainCommand.Report, log: ProgressLog.Line, cancellation: cancellation);
            var evaluation = await CandidateEvaluationRun.RunAsync(Path.Combine(folder, "synth"), model, [10, 50], log: ProgressLog.Line, cancellation: cancellation);
            report.Append("## Candidate generation on the synthetic world\n\n");
            report.Append(CultureInfo.InvariantCulture, $"A {DemoNetwork.EmbeddingDimension}-d network ({string.Join("→", DemoNetwork.Tower!)}), {DemoTraining.Epochs} epochs, {DemoTraining.SoftmaxOptions.Negatives} sampled negatives, against the baselines on the same split (full-corpus ranking). Training curve: `models/synth/training/curve.png`.\n\n");
            report.Append(EvaluateCommand.Table(evaluation, [10, 50]));

            var reportPath = Path.Combine(folder, "report.md");
            AtomicFile.WriteAllText(reportPath, report.ToString());
            Console.Write(report.ToString());
            ProgressLog.Line($"demo: report written to {reportPath}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task<string> DescribeAsync(string path, ExampleOptions examples, CancellationToken cancellation)
    {
        var report = await DatasetReport.BuildAsync(path, new SplitOptions(), examples, cancellation);
        return report.ToMarkdown() + "\n";
    }
}

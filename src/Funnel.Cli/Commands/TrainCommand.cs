using System.CommandLine;
using System.Globalization;
using Funnel.Candidates.Model;
using Funnel.Candidates.Softmax;
using Funnel.Candidates.Training;
using Funnel.Cli.Hosting;
using Funnel.Core;
using Funnel.Data.Examples;
using Funnel.Runs.Candidates;
using Funnel.Torch;

namespace Funnel.Cli.Commands;

/// <summary>funnel train candidates: the candidate-generation network into a model folder.</summary>
internal static class TrainCommand
{
    private static readonly Dictionary<string, FeatureSet> FeatureSets = FeatureSet.Named.ToDictionary(set => set.Name, set => set.Features);

    public static Command Create()
    {
        var command = new Command("train", "Train a model");
        command.Subcommands.Add(Candidates());
        command.Subcommands.Add(RankingCommands.Train());
        return command;
    }

    private static Command Candidates()
    {
        var defaults = new CandidateTrainingOptions();
        var data = CommonOptions.RequiredPath("--data", "Dataset folder");
        var output = CommonOptions.RequiredPath("--out", "Model folder (checkpoints go to MODEL/training; rerunning resumes)");
        var split = StatsCommand.SplitOption();
        var epochs = new Option<int>("--epochs") { Description = "Most epochs (early stopping on validation recall may end sooner)", DefaultValueFactory = _ => defaults.Epochs };
        var seed = CommonOptions.Seed();
        var dimension = new Option<int>("--dim") { Description = "Embedding and user-vector width", DefaultValueFactory = _ => new NetworkShape().EmbeddingDimension };
        var tower = new Option<string>("--tower") { Description = "ReLU layers, ending at --dim ('none' for the paper's depth 0)", DefaultValueFactory = _ => string.Join(',', CandidateNetworkOptions.PaperTower) };
        var negatives = new Option<int>("--negatives") { Description = "Sampled negatives per batch", DefaultValueFactory = _ => defaults.SoftmaxOptions.Negatives };
        var batch = new Option<int>("--batch") { Description = "Examples per step", DefaultValueFactory = _ => defaults.BatchSize };
        var learningRate = new Option<double>("--lr") { Description = "Dense optimiser step size", DefaultValueFactory = _ => defaults.LearningRate };
        var sparseLearningRate = new Option<double>("--sparse-lr") { Description = "Embedding-table step size", DefaultValueFactory = _ => defaults.SparseLearningRate };
        var sparseOptimizer = new Option<string>("--sparse-optimizer") { Description = "adagrad (row-wise) or lazy-adam", DefaultValueFactory = _ => "adagrad" };
        var sampler = new Option<string>("--sampler") { Description = "log-uniform or unigram (count^0.75)", DefaultValueFactory = _ => "log-uniform" };
        var outputKind = new Option<string>("--output") { Description = "dot (the paper) or cosine (learned temperature)", DefaultValueFactory = _ => "dot" };
        var features = new Option<string>("--features") { Description = $"Input features: {string.Join(", ", FeatureSets.Keys)}", DefaultValueFactory = _ => "all" };
        var pretrain = new Option<string?>("--pretrain") { Description = "cbow: pre-train video and token embeddings CBOW-style (2 epochs) before training" };
        var index = new Option<string>("--index") { Description = "Video index written into the model: auto (exact up to 50,000 videos, HNSW above), exact or hnsw", DefaultValueFactory = _ => "auto" };
        var perUser = new Option<int>("--max-examples-per-user") { Description = "Examples kept per user", DefaultValueFactory = _ => new ExampleOptions().MaxExamplesPerUser };
        var json = CommonOptions.Json();
        var command = new Command("candidates", "Train the candidate-generation network (sampled softmax over the video vocabulary)")
        {
            data, output, split, epochs, seed, dimension, tower, negatives, batch, learningRate, sparseLearningRate, sparseOptimizer, sampler, outputKind, features, pretrain, perUser, index, json,
        };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var shape = new NetworkShape(
                parse.GetValue(dimension),
                OptionParsing.IntList("--tower", parse.GetValue(tower)!),
                Output: OptionParsing.Choice("--output", parse.GetValue(outputKind)!, new Dictionary<string, OutputKind> { ["dot"] = OutputKind.DotProduct, ["cosine"] = OutputKind.Cosine }),
                Features: OptionParsing.Choice("--features", parse.GetValue(features)!, FeatureSets));
            var training = new CandidateTrainingOptions(
                Epochs: parse.GetValue(epochs),
                BatchSize: parse.GetValue(batch),
                LearningRate: parse.GetValue(learningRate),
                SparseLearningRate: parse.GetValue(sparseLearningRate),
                SparseOptimizer: OptionParsing.Choice("--sparse-optimizer", parse.GetValue(sparseOptimizer)!, new Dictionary<string, SparseOptimizerKind> { ["adagrad"] = SparseOptimizerKind.Adagrad, ["lazy-adam"] = SparseOptimizerKind.LazyAdam }),
                Sampler: OptionParsing.Choice("--sampler", parse.GetValue(sampler)!, new Dictionary<string, SamplerKind> { ["log-uniform"] = SamplerKind.LogUniform, ["unigram"] = SamplerKind.Unigram }),
                Softmax: new SampledSoftmaxOptions(Negatives: parse.GetValue(negatives)),
                Seed: parse.GetValue(seed),
                PretrainCbowEpochs: parse.GetValue(pretrain) switch
                {
                    null => 0,
                    "cbow" => 2,
                    var other => throw new ArgumentException($"--pretrain: unknown value '{other}'; expected cbow"),
                });
            var examples = new ExampleOptions(MaxExamplesPerUser: parse.GetValue(perUser), Seed: parse.GetValue(seed));
            var manifest = await CandidateTrainingRun.RunAsync(
                parse.GetValue(data)!,
                parse.GetValue(output)!,
                new SplitOptions(SplitOptions.ParseKind(parse.GetValue(split)!)),
                examples,
                shape,
                training,
                OptionParsing.Choice("--index", parse.GetValue(index)!, OptionParsing.IndexKinds),
                Report,
                ProgressLog.Line,
                cancellation);
            var recall = manifest.TestMetrics.Where(m => m.Metric == MetricNames.Recall).ToArray();
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new { dataset = manifest.Dataset, split = SplitOptions.Name(manifest.Split.Kind), seed = training.Seed, model = parse.GetValue(output), best_epoch = manifest.BestEpoch, history = manifest.History, results = manifest.TestMetrics });
            }
            else
            {
                Console.WriteLine($"{parse.GetValue(output)}: best epoch {manifest.BestEpoch} of {manifest.History.Count}; test " + string.Join(", ", recall.Select(m => string.Create(CultureInfo.InvariantCulture, $"recall@{m.K} {m.Value:F3}"))));
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Plain progress lines on stderr for a candidate training run.</summary>
    public static void Report(TrainingProgress progress) => ProgressLog.Line(progress.Describe("train", "validation recall"));
}

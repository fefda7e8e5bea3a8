using System.CommandLine;
using System.Globalization;
using Funnel.Candidates.Model;
using Funnel.Candidates.Softmax;
using Funnel.Candidates.Training;
using Funnel.Cli.Hosting;
using Funnel.Core;
using Funnel.Data.Examples;
using Funnel.Retrieval;
using Funnel.Runs.Candidates;
using Funnel.Torch;

namespace Funnel.Cli.Commands;

/// <summary>funnel train candidates: the candidate-generation network into a model folder.</summary>
internal sealed class TrainCandidatesCommand : TypedCommand<TrainCandidatesCommand.Arguments>
{
    private static readonly CandidateTrainingOptions Defaults = new();
    private static readonly Dictionary<string, FeatureSet> FeatureSets = FeatureSet.Named.ToDictionary(set => set.Name, set => set.Features);
    private static readonly Dictionary<string, OutputKind> Outputs = new() { ["dot"] = OutputKind.DotProduct, ["cosine"] = OutputKind.Cosine };
    private static readonly Dictionary<string, SparseOptimizerKind> SparseOptimizers = new() { ["adagrad"] = SparseOptimizerKind.Adagrad, ["lazy-adam"] = SparseOptimizerKind.LazyAdam };
    private static readonly Dictionary<string, HistoryEncoderKind> Encoders = new() { ["mean"] = HistoryEncoderKind.Mean, ["attention"] = HistoryEncoderKind.Attention };
    private static readonly Dictionary<string, bool?> Softmaxes = new() { ["sampled"] = false, ["full"] = true, ["auto"] = null };
    private static readonly Dictionary<string, bool> Tables = new() { ["sparse"] = true, ["dense"] = false };
    private static readonly Dictionary<string, SamplerKind> Samplers = new() { ["log-uniform"] = SamplerKind.LogUniform, ["unigram"] = SamplerKind.Unigram };

    /// <summary>CBOW pre-training's epochs when --pretrain cbow is given.</summary>
    private const int CbowEpochs = 2;

    private readonly Option<string> data = CommonOptions.RequiredPath("--data", "Dataset folder");
    private readonly Option<string> output = CommonOptions.RequiredPath("--out", "Model folder (checkpoints go to MODEL/training; rerunning resumes)");
    private readonly Option<string> split = CommonOptions.Split();
    private readonly Option<int> epochs = new("--epochs") { Description = "Most epochs (early stopping on validation recall may end sooner)", DefaultValueFactory = _ => Defaults.Epochs };
    private readonly Option<string> validateOn = new("--validate-on") { Description = "The validation figure early stopping and the kept epoch go by, METRIC@K with METRIC hr, recall, ndcg or map", DefaultValueFactory = _ => $"{Defaults.ValidationMetric}@{Defaults.ValidationK}" };
    private readonly Option<int> patience = new("--patience") { Description = "Stop after this many epochs without a better validation recall", DefaultValueFactory = _ => Defaults.Patience };
    private readonly Option<int> history = new("--history") { Description = "Most recent watches a history holds (the paper: 50)", DefaultValueFactory = _ => new ExampleOptions().MaxWatchHistory };
    private readonly Option<int> seed = CommonOptions.Seed();
    private readonly Option<int> dimension = new("--dim") { Description = "Embedding and user-vector width", DefaultValueFactory = _ => new NetworkShape().EmbeddingDimension };
    private readonly Option<string> tower = new("--tower") { Description = "ReLU layers, ending at --dim ('none' for the paper's depth 0)", DefaultValueFactory = _ => string.Join(',', CandidateNetworkOptions.PaperTower) };
    private readonly Option<int> negatives = new("--negatives") { Description = "Sampled negatives per batch", DefaultValueFactory = _ => Defaults.SoftmaxOptions.Negatives };
    private readonly Option<int> batch = new("--batch") { Description = "Examples per step", DefaultValueFactory = _ => Defaults.BatchSize };
    private readonly Option<double> learningRate = new("--lr") { Description = "Dense optimiser step size", DefaultValueFactory = _ => Defaults.LearningRate };
    private readonly Option<double> sparseLearningRate = new("--sparse-lr") { Description = "Embedding-table step size", DefaultValueFactory = _ => Defaults.SparseLearningRate };
    private readonly Option<string> sparseOptimizer = new("--sparse-optimizer") { Description = "adagrad (row-wise) or lazy-adam", DefaultValueFactory = _ => "adagrad" };
    private readonly Option<string> sampler = new("--sampler") { Description = "log-uniform or unigram (count^0.75)", DefaultValueFactory = _ => "log-uniform" };
    private readonly Option<string> outputKind = new("--output") { Description = "dot (the paper) or cosine (learned temperature)", DefaultValueFactory = _ => "dot" };
    private readonly Option<string> features = new("--features") { Description = $"Input features: {string.Join(", ", FeatureSets.Keys)}", DefaultValueFactory = _ => "all" };
    private readonly Option<string?> pretrain = new("--pretrain") { Description = $"cbow: pre-train video and token embeddings CBOW-style ({CbowEpochs} epochs) before training" };
    private readonly Option<int> perUser = new("--max-examples-per-user") { Description = "Examples kept per user", DefaultValueFactory = _ => new ExampleOptions().MaxExamplesPerUser };
    private readonly Option<string> index = new("--index") { Description = "Video index written into the model: auto (exact up to 50,000 videos, HNSW above), exact, hnsw or ivf (inverted file: k-means lists)", DefaultValueFactory = _ => "auto" };
    private readonly Option<string> encoder = new("--encoder") { Description = "How the watch history is read: mean (the paper's averaged bag) or attention (causal self-attention with recency embeddings)", DefaultValueFactory = _ => "mean" };
    private readonly Option<int> blocks = new("--blocks") { Description = "Transformer blocks of the attention encoder", DefaultValueFactory = _ => new NetworkShape().AttentionBlocks };
    private readonly Option<int> heads = new("--heads") { Description = "Attention heads per block (--dim must be a multiple)", DefaultValueFactory = _ => new NetworkShape().AttentionHeads };
    private readonly Option<bool> tieTables = new("--tie-tables") { Description = "The attention encoder reads histories with the video vectors, the softmax weights (SASRec's shared item table), instead of a table of its own" };
    private readonly Option<int?> windowStride = new("--window-stride") { Description = "Attention encoder: watches between the ends of a user's consecutive training windows; --history gives windows that do not overlap, each training every position (default: half of --history)" };
    private readonly Option<double> dropout = new("--dropout") { Description = "Dropout on the history encoder and the tower's input (0: none, the paper)", DefaultValueFactory = _ => new NetworkShape().Dropout };
    private readonly Option<double> weightDecay = new("--weight-decay") { Description = "AdamW weight decay of the dense parameters (the tables too with --tables dense); 0: plain Adam", DefaultValueFactory = _ => Defaults.WeightDecay };
    private readonly Option<string> softmax = new("--softmax") { Description = $"sampled (negatives with logQ correction), full (every video) or auto (full up to {FullSoftmax.AutomaticUpToVideos:N0} videos)", DefaultValueFactory = _ => "sampled" };
    private readonly Option<string> tables = new("--tables") { Description = "sparse (row-wise optimisers, for large corpora) or dense (ordinary parameters of the dense optimiser)", DefaultValueFactory = _ => "sparse" };
    private readonly Option<float?> labelThreshold = new("--label-threshold") { Description = "Completion a watch needs to be a training label (default: the completion threshold, 0.8, which also defines the validation and test queries); 0 trains on every watch" };
    private readonly Option<float> completed = CommonOptions.Completed();
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What the command was asked.</summary>
    internal sealed record Arguments(string Data, string Model, SplitOptions Split, ExampleOptions Examples, NetworkShape Shape, CandidateTrainingOptions Training, IndexKind Index, bool Json);

    protected override string Name => "candidates";

    protected override string Description => "Train the candidate-generation network (sampled softmax over the video vocabulary)";

    protected override IEnumerable<Option> Options => [data, output, split, epochs, patience, validateOn, seed, history, dimension, tower, encoder, blocks, heads, tieTables, windowStride, dropout, negatives, softmax, batch, learningRate, sparseLearningRate, sparseOptimizer, tables, weightDecay, sampler, outputKind, features, pretrain, perUser, completed, labelThreshold, index, json];

    protected override Arguments Bind(ParseResult parse)
    {
        var shape = new NetworkShape(
            parse.GetValue(dimension),
            OptionParsing.IntList("--tower", parse.GetRequiredValue(tower)),
            Output: OptionParsing.Choice("--output", parse.GetRequiredValue(outputKind), Outputs),
            Features: OptionParsing.Choice("--features", parse.GetRequiredValue(features), FeatureSets),
            Encoder: OptionParsing.Choice("--encoder", parse.GetRequiredValue(encoder), Encoders),
            AttentionBlocks: parse.GetValue(blocks),
            AttentionHeads: parse.GetValue(heads),
            Dropout: parse.GetValue(dropout),
            SparseTables: OptionParsing.Choice("--tables", parse.GetRequiredValue(tables), Tables),
            TiedVideoTables: parse.GetValue(tieTables));
        var training = new CandidateTrainingOptions(
            Epochs: parse.GetValue(epochs),
            Patience: parse.GetValue(patience),
            ValidationMetric: OptionParsing.MetricAt("--validate-on", parse.GetRequiredValue(validateOn)).Metric,
            ValidationK: OptionParsing.MetricAt("--validate-on", parse.GetRequiredValue(validateOn)).K,
            BatchSize: parse.GetValue(batch),
            LearningRate: parse.GetValue(learningRate),
            SparseLearningRate: parse.GetValue(sparseLearningRate),
            SparseOptimizer: OptionParsing.Choice("--sparse-optimizer", parse.GetRequiredValue(sparseOptimizer), SparseOptimizers),
            Sampler: OptionParsing.Choice("--sampler", parse.GetRequiredValue(sampler), Samplers),
            Softmax: new SampledSoftmaxOptions(Negatives: parse.GetValue(negatives)),
            Seed: parse.GetValue(seed),
            PretrainCbowEpochs: parse.GetValue(pretrain) switch
            {
                null => 0,
                "cbow" => CbowEpochs,
                var other => throw new ArgumentException($"--pretrain: unknown value '{other}'; expected cbow"),
            },
            FullSoftmax: OptionParsing.Choice("--softmax", parse.GetRequiredValue(softmax), Softmaxes),
            WeightDecay: parse.GetValue(weightDecay),
            WindowStride: parse.GetValue(windowStride));
        return new Arguments(
            parse.GetRequiredValue(data),
            parse.GetRequiredValue(output),
            new SplitOptions(SplitOptions.ParseKind(parse.GetRequiredValue(split))),
            new ExampleOptions(MaxWatchHistory: parse.GetValue(history), MaxExamplesPerUser: parse.GetValue(perUser), Seed: parse.GetValue(seed), LabelThreshold: parse.GetValue(labelThreshold), CompletionThreshold: parse.GetValue(completed)).Validate(),
            shape,
            training,
            OptionParsing.Choice("--index", parse.GetRequiredValue(index), OptionParsing.IndexKinds),
            parse.GetValue(json));
    }

    protected override async Task<int> RunAsync(Arguments arguments, CancellationToken cancellation)
    {
        var manifest = await CandidateTrainingRun.RunAsync(arguments.Data, arguments.Model, arguments.Split, arguments.Examples, arguments.Shape, arguments.Training, arguments.Index, p => Report(p, arguments.Training), ProgressLog.Line, cancellation);
        if (arguments.Json)
        {
            JsonOutput.Write(new { dataset = manifest.Dataset, split = SplitOptions.Name(manifest.Split.Kind), seed = arguments.Training.Seed, model = arguments.Model, best_epoch = manifest.BestEpoch, history = manifest.History, results = manifest.TestMetrics });
            return ExitCodes.Success;
        }
        var recall = manifest.TestMetrics.Where(m => m.Metric == MetricNames.Recall);
        Console.WriteLine($"{arguments.Model}: best epoch {manifest.BestEpoch} of {manifest.History.Count}; test " + string.Join(", ", recall.Select(m => string.Create(CultureInfo.InvariantCulture, $"recall@{m.K} {m.Value:F3}"))));
        return ExitCodes.Success;
    }

    /// <summary>Plain progress lines on stderr for a candidate training run (validated on the default figure, Recall@100, unless <paramref name="training"/> says).</summary>
    public static void Report(TrainingProgress progress, CandidateTrainingOptions? training = null)
    {
        var validated = training ?? Defaults;
        ProgressLog.Line(progress.Describe("train", $"validation {validated.ValidationMetric}@{validated.ValidationK}"));
    }
}

using Funnel.Candidates.Model;
using Funnel.Candidates.Training;
using Funnel.Data.Examples;

namespace Funnel.Runs.Candidates;

/// <summary>
/// One candidate-stage recipe of the tuning space. With the attention encoder it is the sequence
/// recipe (no tower, tables dense under the full softmax on small corpora); with the mean encoder
/// it is the paper's network (the averaged bag under its ReLU tower of three layers, sampled
/// softmax, sparse tables), as `funnel train candidates` trains it by default.
/// </summary>
/// <param name="Encoder">How the watch history is read.</param>
/// <param name="Dimension">Embedding width (and of u and v).</param>
/// <param name="Blocks">Transformer blocks (0 for the mean encoder, which has none).</param>
/// <param name="Dropout">Dropout on the encoder and the tower's input.</param>
/// <param name="TiedTables">Histories read with the video vectors.</param>
/// <param name="EveryWatchALabel">Every watch a training label (label threshold 0), or only completed ones.</param>
/// <param name="LearningRate">Adam's step size.</param>
/// <param name="History">Most recent watches a history holds.</param>
/// <param name="ExamplesPerUser">Training labels kept per user (the paper's cap, so heavy users do not dominate).</param>
/// <param name="SideInputs">The paper's other inputs (searches, demographics, example age) beside the history, or the history alone.</param>
public sealed record TuneRecipe(HistoryEncoderKind Encoder, int Dimension, int Blocks, double Dropout, bool TiedTables, bool EveryWatchALabel, double LearningRate, int History, int ExamplesPerUser, bool SideInputs)
{
    /// <summary>Patience of every trial's early stopping, in epochs.</summary>
    public const int Patience = 10;

    /// <summary>
    /// The recipe `funnel train candidates` documents for small real logs: the first trial of every
    /// search. Its cap of 1,000 labels per user keeps nearly every position of a sequence; the paper's
    /// 200 drops the oldest labels of exactly the long histories a sequence model learns most from.
    /// </summary>
    public static readonly TuneRecipe Default = new(HistoryEncoderKind.Attention, 64, 2, 0.2, true, true, 0.001, 50, 1_000, true);

    /// <summary>
    /// The paper's network with `funnel train candidates`' defaults: the second trial, so that a log
    /// on which order carries little (a synthetic world) keeps the bag when validation says so.
    /// </summary>
    public static readonly TuneRecipe Paper = new(
        HistoryEncoderKind.Mean,
        new NetworkShape().EmbeddingDimension,
        0,
        new NetworkShape().Dropout,
        new NetworkShape().TiedVideoTables,
        false,
        new CandidateTrainingOptions().LearningRate,
        new ExampleOptions().MaxWatchHistory,
        new ExampleOptions().MaxExamplesPerUser,
        true);

    private bool Sequence => Encoder == HistoryEncoderKind.Attention;

    /// <summary>The network shape for a corpus that does (or does not) train with the full softmax.</summary>
    public NetworkShape Shape(bool fullSoftmax) => new(
        Dimension,
        Tower: Sequence ? [] : CandidateNetworkOptions.PaperTowerOfDepth(3, Dimension),
        Encoder: Encoder,
        AttentionBlocks: Sequence ? Blocks : new NetworkShape().AttentionBlocks,
        Features: SideInputs ? FeatureSet.All : FeatureSet.WatchesOnly,
        Dropout: Dropout,
        SparseTables: !fullSoftmax,
        TiedVideoTables: TiedTables);

    /// <summary>How the recipe's training examples are built.</summary>
    public ExampleOptions Examples(int seed) =>
        new ExampleOptions(MaxWatchHistory: History, MaxExamplesPerUser: ExamplesPerUser, Seed: seed, LabelThreshold: EveryWatchALabel ? 0f : null).Validate();

    /// <summary>How the recipe trains: early stopping on validation NDCG@10; the full softmax where the corpus allows for the sequence recipe, the sampled one for the paper's.</summary>
    public CandidateTrainingOptions Training(int seed, int epochs) =>
        new CandidateTrainingOptions(Epochs: epochs, LearningRate: LearningRate, Seed: seed, Patience: Patience, FullSoftmax: Sequence ? null : false, ValidationMetric: TuneRun.Metric, ValidationK: TuneRun.K).Validate();

    /// <summary>The recipe as the flags of `funnel train candidates`.</summary>
    public string Flags()
    {
        var network = Sequence
            ? FormattableString.Invariant($"--encoder attention --tower none --dim {Dimension} --blocks {Blocks}")
            : FormattableString.Invariant($"--encoder mean --tower {string.Join(',', CandidateNetworkOptions.PaperTowerOfDepth(3, Dimension))} --dim {Dimension}");
        return FormattableString.Invariant(
            $"{network} --dropout {Dropout:G} {(TiedTables ? "--tie-tables " : "")}{(EveryWatchALabel ? "--label-threshold 0 " : "")}--lr {LearningRate:G} --history {History} --max-examples-per-user {ExamplesPerUser} --features {(SideInputs ? "all" : "watches")}");
    }
}

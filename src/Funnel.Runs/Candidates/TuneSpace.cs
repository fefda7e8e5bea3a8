using Funnel.Candidates.Model;
using Funnel.Core;

namespace Funnel.Runs.Candidates;

/// <summary>One candidate-stage recipe of the tuning space: the sequence encoder and what shapes its training.</summary>
/// <param name="Dimension">Embedding width (and of u and v).</param>
/// <param name="Blocks">Transformer blocks.</param>
/// <param name="Dropout">Dropout on the encoder and the tower's input.</param>
/// <param name="TiedTables">Histories read with the video vectors.</param>
/// <param name="EveryWatchALabel">Every watch a training label (label threshold 0), or only completed ones.</param>
/// <param name="LearningRate">Adam's step size.</param>
/// <param name="History">Most recent watches a history holds.</param>
/// <param name="ExamplesPerUser">Training labels kept per user (the paper's cap, so heavy users do not dominate).</param>
/// <param name="SideInputs">The paper's other inputs (searches, demographics, example age) beside the history, or the history alone.</param>
public sealed record TuneRecipe(int Dimension, int Blocks, double Dropout, bool TiedTables, bool EveryWatchALabel, double LearningRate, int History, int ExamplesPerUser, bool SideInputs)
{
    /// <summary>
    /// The recipe `funnel train candidates` documents for small real logs: the first trial of every
    /// search. Its cap of 1,000 labels per user keeps nearly every position of a sequence; the paper's
    /// 200 drops the oldest labels of exactly the long histories a sequence model learns most from.
    /// </summary>
    public static readonly TuneRecipe Default = new(64, 2, 0.2, true, true, 0.001, 50, 1_000, true);

    /// <summary>The network shape (attention encoder, one linear layer on top, tables dense under the full softmax).</summary>
    public NetworkShape Shape(bool fullSoftmax) => new(
        Dimension,
        Tower: [],
        Encoder: HistoryEncoderKind.Attention,
        AttentionBlocks: Blocks,
        Features: SideInputs ? FeatureSet.All : FeatureSet.WatchesOnly,
        Dropout: Dropout,
        SparseTables: !fullSoftmax,
        TiedVideoTables: TiedTables);

    /// <summary>The recipe as the flags of `funnel train candidates`.</summary>
    public string Flags() => FormattableString.Invariant(
        $"--encoder attention --tower none --dim {Dimension} --blocks {Blocks} --dropout {Dropout:G} {(TiedTables ? "--tie-tables " : "")}{(EveryWatchALabel ? "--label-threshold 0 " : "")}--lr {LearningRate:G} --history {History} --max-examples-per-user {ExamplesPerUser} --features {(SideInputs ? "all" : "watches")}");
}

/// <summary>
/// The declared space `funnel tune` searches: every combination of these values is a recipe; trial
/// 0 is <see cref="TuneRecipe.Default"/>, the others are drawn from the space without repeats.
/// </summary>
public static class TuneSpace
{
    private const int TrialStream = 60;

    /// <summary>Embedding widths.</summary>
    public static readonly IReadOnlyList<int> Dimensions = [32, 64, 128];

    /// <summary>Transformer blocks.</summary>
    public static readonly IReadOnlyList<int> Blocks = [1, 2, 3];

    /// <summary>Dropout rates.</summary>
    public static readonly IReadOnlyList<double> Dropouts = [0.1, 0.2, 0.3, 0.5];

    /// <summary>Tied or separate history table.</summary>
    public static readonly IReadOnlyList<bool> TiedTables = [true, false];

    /// <summary>Every watch a label, or completed watches only.</summary>
    public static readonly IReadOnlyList<bool> EveryWatchALabel = [true, false];

    /// <summary>Adam step sizes.</summary>
    public static readonly IReadOnlyList<double> LearningRates = [0.0005, 0.001, 0.002];

    /// <summary>History lengths.</summary>
    public static readonly IReadOnlyList<int> Histories = [50, 100, 200];

    /// <summary>Labels kept per user.</summary>
    public static readonly IReadOnlyList<int> ExamplesPerUser = [200, 1_000];

    /// <summary>With the paper's side inputs, or the history alone (SASRec's input).</summary>
    public static readonly IReadOnlyList<bool> SideInputs = [true, false];

    /// <summary>Number of distinct recipes in the space.</summary>
    public static int Size => Dimensions.Count * Blocks.Count * Dropouts.Count * TiedTables.Count * EveryWatchALabel.Count * LearningRates.Count * Histories.Count * ExamplesPerUser.Count * SideInputs.Count;

    /// <summary>The first <paramref name="trials"/> recipes of a seeded search (at most the whole space).</summary>
    public static IReadOnlyList<TuneRecipe> Trials(int trials, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        var chosen = new List<TuneRecipe> { TuneRecipe.Default };
        var random = SeedMixer.Random(seed, TrialStream, 0);
        while (chosen.Count < Math.Min(trials, Size))
        {
            var recipe = new TuneRecipe(
                Pick(random, Dimensions),
                Pick(random, Blocks),
                Pick(random, Dropouts),
                Pick(random, TiedTables),
                Pick(random, EveryWatchALabel),
                Pick(random, LearningRates),
                Pick(random, Histories),
                Pick(random, ExamplesPerUser),
                Pick(random, SideInputs));
            if (!chosen.Contains(recipe))
            {
                chosen.Add(recipe);
            }
        }
        return chosen;
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> values) => values[random.Next(values.Count)];
}

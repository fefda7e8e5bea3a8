using Funnel.Candidates.Model;
using Funnel.Core;

namespace Funnel.Runs.Candidates;

/// <summary>
/// The declared space `funnel tune` searches: every combination of these values is a recipe (the
/// mean encoder has no blocks); trial 0 is <see cref="TuneRecipe.Default"/>, trial 1
/// <see cref="TuneRecipe.Paper"/>, the others are drawn from the space without repeats.
/// </summary>
public static class TuneSpace
{
    private const int TrialStream = 60;

    /// <summary>History encoders: the sequence recipe, or the paper's network.</summary>
    public static readonly IReadOnlyList<HistoryEncoderKind> Encoders = [HistoryEncoderKind.Attention, HistoryEncoderKind.Mean];

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
    public static int Size => (Blocks.Count + 1) * Dimensions.Count * Dropouts.Count * TiedTables.Count * EveryWatchALabel.Count * LearningRates.Count * Histories.Count * ExamplesPerUser.Count * SideInputs.Count;

    /// <summary>The first <paramref name="trials"/> recipes of a seeded search (at most the whole space).</summary>
    public static IReadOnlyList<TuneRecipe> Trials(int trials, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        var chosen = new List<TuneRecipe> { TuneRecipe.Default, TuneRecipe.Paper }.Take(trials).ToList();
        var random = SeedMixer.Random(seed, TrialStream, 0);
        while (chosen.Count < Math.Min(trials, Size))
        {
            var encoder = Pick(random, Encoders);
            var recipe = new TuneRecipe(
                encoder,
                Pick(random, Dimensions),
                encoder == HistoryEncoderKind.Mean ? 0 : Pick(random, Blocks),
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

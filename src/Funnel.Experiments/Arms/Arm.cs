using System.Text.RegularExpressions;
using Funnel.Serving.Recommendations;

namespace Funnel.Experiments.Arms;

/// <summary>One arm of an experiment: a name and the model folder (candidates, index, ranker) it serves.</summary>
/// <param name="Name">Letters, digits, '-' and '_'.</param>
/// <param name="ModelFolder">The model folder the arm's service loads.</param>
/// <param name="Recipe">How its models were trained, when the experiment trained them (then it can retrain them).</param>
/// <param name="FreshUploads">The experiment posts the world's recent and coming uploads to the arm's <c>/admin/videos</c>, so its fresh-uploads source runs.</param>
/// <param name="Sources">The candidate sources its service runs (the service's defaults when null); the network's count is the experiment's.</param>
public sealed partial record Arm(string Name, string ModelFolder, ArmRecipe? Recipe = null, bool FreshUploads = false, CandidateSources? Sources = null)
{
    /// <summary>Parses <c>NAME=MODEL,NAME=MODEL,…</c>: at least two arms, names unique.</summary>
    public static IReadOnlyList<Arm> ParseList(string text)
    {
        var arms = new List<Arm>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == part.Length - 1)
            {
                throw new ArgumentException($"--arms: '{part}' is not NAME=MODEL_FOLDER");
            }
            var name = part[..equals];
            if (!NamePattern().IsMatch(name))
            {
                throw new ArgumentException($"--arms: arm name '{name}' may hold only letters, digits, '-' and '_'");
            }
            if (arms.Any(a => a.Name == name))
            {
                throw new ArgumentException($"--arms: arm '{name}' is named twice");
            }
            arms.Add(new Arm(name, part[(equals + 1)..]));
        }
        if (arms.Count < 2)
        {
            throw new ArgumentException($"--arms: an experiment needs at least two arms; got {arms.Count}");
        }
        return arms;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex NamePattern();
}

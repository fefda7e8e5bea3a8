using System.Globalization;
using Funnel.Core;
using Funnel.Retrieval;

namespace Funnel.Cli.Hosting;

/// <summary>Parsing of option values that are lists or names, with errors that quote the value.</summary>
internal static class OptionParsing
{
    /// <summary>"1024,512,256" → [1024, 512, 256]; "" or "none" → [] (the paper's depth 0).</summary>
    public static int[] IntList(string option, string text)
    {
        if (text.Length == 0 || text == "none")
        {
            return [];
        }
        try
        {
            return [.. text.Split(',').Select(part => int.Parse(part.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture))];
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{option}: expected comma-separated integers, got '{text}'");
        }
    }

    /// <summary>"a, b,,c" → [a, b, c].</summary>
    public static string[] Names(string text) => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The --index values.</summary>
    public static readonly IReadOnlyDictionary<string, IndexKind> IndexKinds = new Dictionary<string, IndexKind> { ["auto"] = IndexKind.Auto, ["exact"] = IndexKind.Exact, ["hnsw"] = IndexKind.Hnsw, ["ivf"] = IndexKind.Ivf };

    /// <summary>"ndcg@10" → (ndcg, 10): a retrieval metric of <see cref="MetricNames.Retrieval"/> at a cut-off ≥ 1.</summary>
    public static (string Metric, int K) MetricAt(string option, string text)
    {
        var parts = text.Split('@');
        return parts.Length == 2 && MetricNames.Retrieval.Contains(parts[0]) && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k >= 1
            ? (parts[0], k)
            : throw new ArgumentException($"{option}: expected METRIC@K with METRIC one of {string.Join(", ", MetricNames.Retrieval)}, got '{text}'");
    }

    /// <summary>One of the named choices.</summary>
    public static T Choice<T>(string option, string text, IReadOnlyDictionary<string, T> choices) =>
        choices.TryGetValue(text, out var value)
            ? value
            : throw new ArgumentException($"{option}: unknown value '{text}'; expected one of {string.Join(", ", choices.Keys)}");
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Funnel.Candidates.Model;
using Funnel.Candidates.Training;
using Funnel.Core;
using Funnel.Data.Examples;
using Funnel.Evaluation;
using Funnel.Runs.Reports;

namespace Funnel.Runs.Candidates;

/// <summary>One trained variant of the ablation and its test metrics.</summary>
/// <param name="Depth">Tower depth (0–4, the paper's towers).</param>
/// <param name="Features">Feature-set name.</param>
/// <param name="Output">dot or cosine.</param>
/// <param name="Epochs">Epochs trained (early stopping may keep an earlier one).</param>
/// <param name="Results">Test metrics.</param>
public sealed record AblationRow(int Depth, string Features, string Output, int Epochs, IReadOnlyList<MetricValue> Results);

/// <summary>
/// The paper's Figure 6 in spirit: the candidate network at depths 0–4 with growing feature sets
/// (watches; + searches; + example age; + demographics), plus the tempered-cosine output at the
/// model's own depth, each trained with the model's options and tested on the same split.
/// </summary>
public static class AblationRun
{
    /// <summary>The feature sets, from the paper's smallest to its full model.</summary>
    private static readonly IReadOnlyList<(string Name, FeatureSet Features)> FeatureSets = FeatureSet.Figure6;

    /// <summary>Trains and tests every variant; writes MODEL/ablation/{ablation.md, ablation.json, ablation.png}.</summary>
    public static async Task<IReadOnlyList<AblationRow>> RunAsync(string data, string model, int epochs, int reportK, Action<string>? log = null, CancellationToken cancellation = default)
    {
        var (manifest, dataset, split) = await ModelWithData.OpenAsync(data, model, cancellation).ConfigureAwait(false);
        var evaluator = new RetrievalEvaluator(split, new RetrievalEvaluationOptions([10, reportK], Seed: manifest.Training.Seed));
        var training = manifest.Training with { Epochs = epochs };
        var dimension = manifest.Network.EmbeddingDimension;
        var variants = new List<(int Depth, string Features, FeatureSet Set, OutputKind Output)>();
        for (var depth = 0; depth <= 4; depth++)
        {
            variants.AddRange(FeatureSets.Select(f => (depth, f.Name, f.Features, OutputKind.DotProduct)));
        }
        var ownDepth = manifest.Network.Tower.Count;
        variants.Add((ownDepth, "all", FeatureSet.All, OutputKind.Cosine));

        var rows = new List<AblationRow>();
        foreach (var (depth, name, set, output) in variants)
        {
            cancellation.ThrowIfCancellationRequested();
            var network = manifest.Network with { TowerWidths = CandidateNetworkOptions.PaperTowerOfDepth(depth, dimension), Features = set, Output = output };
            using var trainer = new CandidateTrainer(split, network, training);
            trainer.Train(cancellation: cancellation);
            var results = evaluator.Evaluate(new NetworkRetrievalModel(trainer.Network, $"depth{depth}-{name}-{OutputName(output)}"), split.Test);
            rows.Add(new AblationRow(depth, name, OutputName(output), trainer.History.Count, results));
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"ablation: depth {depth}, {name}, {OutputName(output)}: recall@{reportK} {Value(rows[^1], MetricNames.Recall, reportK):F4}"));
        }
        Write(Path.Combine(model, "ablation"), dataset.Manifest.Name, SplitOptions.Name(manifest.Split.Kind), rows, reportK);
        return rows;
    }

    private static string OutputName(OutputKind output) => output == OutputKind.Cosine ? "cosine" : "dot";

    private static double Value(AblationRow row, string metric, int k) => row.Results.Single(r => r.Metric == metric && r.K == k).Value;

    private static void Write(string folder, string dataset, string split, IReadOnlyList<AblationRow> rows, int k)
    {
        Directory.CreateDirectory(folder);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Ablation: {dataset}, {split} split\n\nTest Recall@{k} (HR@{k} in brackets) by tower depth and feature set; dot-product output unless noted.\n\n");
        text.Append("| features | " + string.Join(" | ", Enumerable.Range(0, 5).Select(d => $"depth {d}")) + " |\n|---|" + string.Concat(Enumerable.Repeat("---:|", 5)) + "\n");
        foreach (var (name, _) in FeatureSets)
        {
            var cells = Enumerable.Range(0, 5).Select(d => rows.Single(r => r.Depth == d && r.Features == name && r.Output == "dot"))
                .Select(r => string.Create(CultureInfo.InvariantCulture, $"{Value(r, MetricNames.Recall, k):F3} ({Value(r, MetricNames.HitRate, k):F3})"));
            text.Append(CultureInfo.InvariantCulture, $"| {name} | {string.Join(" | ", cells)} |\n");
        }
        foreach (var cosine in rows.Where(r => r.Output == "cosine"))
        {
            var dot = rows.Single(r => r.Depth == cosine.Depth && r.Features == cosine.Features && r.Output == "dot");
            text.Append(CultureInfo.InvariantCulture, $"\nCosine output with a learned temperature, depth {cosine.Depth}, all features: Recall@{k} {Value(cosine, MetricNames.Recall, k):F3} (dot product: {Value(dot, MetricNames.Recall, k):F3}).\n");
        }
        AtomicFile.WriteAllText(Path.Combine(folder, "ablation.md"), text.ToString());
        AtomicFile.WriteAllText(Path.Combine(folder, "ablation.json"), JsonSerializer.Serialize(rows, FunnelJson.Files));
        var depths = Enumerable.Range(0, 5).Select(d => (double)d).ToArray();
        LineChart.Save(
            Path.Combine(folder, "ablation.png"),
            $"Candidate network ablation ({dataset})",
            "tower depth",
            $"test recall@{k}",
            [.. FeatureSets.Select(f => new Series(f.Name, depths, [.. Enumerable.Range(0, 5).Select(d => Value(rows.Single(r => r.Depth == d && r.Features == f.Name && r.Output == "dot"), MetricNames.Recall, k))]))]);
    }
}

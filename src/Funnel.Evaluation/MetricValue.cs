namespace Funnel.Evaluation;

/// <summary>One reported number: as in `funnel evaluate --json` results.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Metric">hr, recall, ndcg or map.</param>
/// <param name="K">Cut-off.</param>
/// <param name="Value">Mean over queries.</param>
public sealed record MetricValue(string Model, string Metric, int K, double Value);

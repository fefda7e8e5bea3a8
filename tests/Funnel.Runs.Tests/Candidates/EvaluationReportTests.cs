using Funnel.Core;
using Funnel.Evaluation;
using Funnel.Runs.Candidates;

namespace Funnel.Runs.Tests.Candidates;

public sealed class EvaluationReportTests
{
    [Fact]
    public void The_table_has_a_row_per_model_a_column_per_metric_and_k_and_the_index_recall_apart()
    {
        MetricValue[] results =
        [
            .. MetricNames.Retrieval.Select(m => new MetricValue("funnel", m, 10, 0.5)),
            .. MetricNames.Retrieval.Select(m => new MetricValue("ease", m, 10, 0.25)),
            .. MetricNames.Retrieval.Select(m => new MetricValue("funnel-hnsw", m, 10, 0.5)),
            new("funnel-hnsw", MetricNames.IndexRecall, 10, 0.975),
        ];

        var lines = new EvaluationReport("world", "temporal", 7, 1_234, results, 300).ToMarkdown([10]).Split('\n');

        Assert.Equal("world, temporal split, 1,234 test queries, seed 7; EASE λ 300 (chosen on validation NDCG@10)", lines[0]);
        Assert.Equal("| model | hr@10 | recall@10 | ndcg@10 | map@10 |", lines[2]);
        Assert.Equal("| funnel | 0.500 | 0.500 | 0.500 | 0.500 |", lines[4]);
        Assert.Equal("| ease | 0.250 | 0.250 | 0.250 | 0.250 |", lines[5]);
        Assert.Equal("| funnel-hnsw | 0.975 |", lines[^2]);
    }
}

using Funnel.Evaluation.Ranking;
using Funnel.Runs.Ranking;

namespace Funnel.Runs.Tests.Ranking;

public sealed class RankingTableTests
{
    [Fact]
    public void A_metric_a_configuration_lacks_shows_as_a_dash()
    {
        RankingMetric[] results = [new("256", "auc", 0.61234), new("256", "pairs", 10), new("candidate-score", "auc", 0.5)];

        var lines = RankingTable.Markdown(results).TrimEnd('\n').Split('\n');

        Assert.Equal(["| config | auc | pairs |", "|---|---:|---:|", "| 256 | 0.6123 | 10 |", "| candidate-score | 0.5 | – |"], lines);
    }
}

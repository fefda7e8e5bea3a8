using Funnel.Evaluation.Ranking;
using Funnel.Runs.Ranking;

namespace Funnel.Runs.Tests.Ranking;

public sealed class RankingTableTests
{
    [Fact]
    public void Each_metric_has_its_own_format_a_missing_one_shows_as_a_dash_and_every_column_is_explained()
    {
        RankingMetric[] results = [new("256", "auc", 0.61234), new("256", "pairs", 10_450), new("256", "watch_seconds_top1", 139.5641), new("candidate-score", "auc", 0.5)];

        var lines = RankingTable.Markdown(results).TrimEnd('\n').Split('\n');

        Assert.Equal(["| ranker (hidden layers) | auc | pairs | watch_seconds_top1 |", "|---|---:|---:|---:|", "| 256 | 0.612 | 10,450 | 139.6 |", "| candidate-score | 0.500 | – | – |", ""], lines[..5]);
        Assert.Equal(3, lines.Count(l => l.StartsWith("- `", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("- `pairs`: ", StringComparison.Ordinal));
    }
}

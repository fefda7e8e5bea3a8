using Funnel.Core;
using Funnel.Experiments.Simulation;
using Funnel.Experiments.Statistics;

namespace Funnel.Experiments.Reporting;

/// <summary>The experiment's online metrics per arm and each treatment against the control, with bootstrap intervals over users.</summary>
public static class OnlineMetrics
{
    /// <summary>The metrics, in report order; the first is the experiment's goal.</summary>
    public static readonly string[] Names = [MetricNames.WatchSecondsPerUserDay, MetricNames.ClicksPerUserDay, MetricNames.ClickThroughRate, MetricNames.CompletionRate, MetricNames.Coverage, MetricNames.FreshImpressionShare, MetricNames.FreshWatchShare, MetricNames.FreshSourceShare, MetricNames.ClicksPerSession, MetricNames.SlatesPerSession, MetricNames.MeanShownAgeDays, MetricNames.MeanShownDurationSeconds];

    /// <summary>Per-arm estimates with 95% intervals, and every other arm against the first.</summary>
    public static (List<ArmMetric> Arms, List<ArmComparison> Comparisons) Compute(IReadOnlyList<string> arms, IReadOnlyList<UserOutcome> outcomes, int days, int catalogueSize, int resamples, int seed)
    {
        var byArm = arms.Select((_, a) => outcomes.Where(o => o.Arm == a).ToList()).ToList();
        var rows = new List<ArmMetric>();
        var comparisons = new List<ArmComparison>();
        for (var m = 0; m < Names.Length; m++)
        {
            for (var a = 0; a < arms.Count; a++)
            {
                if (byArm[a].Count == 0)
                {
                    rows.Add(new ArmMetric(arms[a], 0, Names[m], double.NaN, double.NaN, double.NaN));
                    continue;
                }
                var interval = Bootstrap.Estimate(byArm[a].Count, Statistic(Names[m], byArm[a], days, catalogueSize), Seed(seed, m, a), resamples, correctBias: Names[m] == MetricNames.Coverage);
                rows.Add(new ArmMetric(arms[a], byArm[a].Count, Names[m], interval.Estimate, interval.Low, interval.High));
            }
            for (var a = 1; a < arms.Count; a++)
            {
                if (byArm[0].Count == 0 || byArm[a].Count == 0)
                {
                    continue;
                }
                var difference = Bootstrap.Difference(
                    byArm[0].Count, Statistic(Names[m], byArm[0], days, catalogueSize),
                    byArm[a].Count, Statistic(Names[m], byArm[a], days, catalogueSize),
                    Seed(seed, m, 100 + a), resamples, correctBias: Names[m] == MetricNames.Coverage);
                var verdict = !difference.ExcludesZero ? "no significant difference" : difference.Low > 0 ? "higher" : "lower";
                comparisons.Add(new ArmComparison(arms[a], arms[0], Names[m], difference.Estimate, difference.Low, difference.High, verdict));
            }
        }
        return (rows, comparisons);
    }

    /// <summary>Mean watch seconds per user of each arm on each day, with 95% bootstrap intervals over the arm's users.</summary>
    public static List<DailyWatch> Daily(IReadOnlyList<string> arms, IReadOnlyList<UserOutcome> outcomes, int days, int resamples, int seed) =>
        [.. arms.SelectMany((name, a) =>
        {
            var users = outcomes.Where(o => o.Arm == a).ToList();
            return Enumerable.Range(0, days).Select(d =>
            {
                if (users.Count == 0)
                {
                    return new DailyWatch(name, d + 1, double.NaN, double.NaN, double.NaN);
                }
                var interval = Bootstrap.Estimate(users.Count, Bootstrap.Mean([.. users.Select(u => u.DailyWatchSeconds[d])]), Seed(seed, 500 + d, a), resamples);
                return new DailyWatch(name, d + 1, interval.Estimate, interval.Low, interval.High);
            });
        })];

    /// <summary>A metric as a statistic of a redraw of the arm's users.</summary>
    private static Func<int[], double> Statistic(string metric, List<UserOutcome> users, int days, int catalogueSize) => metric switch
    {
        MetricNames.WatchSecondsPerUserDay => Bootstrap.Mean([.. users.Select(u => u.WatchSeconds / days)]),
        MetricNames.ClicksPerUserDay => Bootstrap.Mean([.. users.Select(u => (double)u.Clicks / days)]),
        MetricNames.ClickThroughRate => Bootstrap.Ratio([.. users.Select(u => (double)u.Clicks)], [.. users.Select(u => (double)u.Impressions)]),
        MetricNames.CompletionRate => Bootstrap.Ratio([.. users.Select(u => (double)u.Completed)], [.. users.Select(u => (double)u.Clicks)]),
        MetricNames.FreshImpressionShare => Bootstrap.Ratio([.. users.Select(u => (double)u.FreshImpressions)], [.. users.Select(u => (double)u.Impressions)]),
        MetricNames.MeanShownAgeDays => Bootstrap.Ratio([.. users.Select(u => u.ShownAgeDays)], [.. users.Select(u => (double)u.Impressions)]),
        MetricNames.MeanShownDurationSeconds => Bootstrap.Ratio([.. users.Select(u => u.ShownDurationSeconds)], [.. users.Select(u => (double)u.Impressions)]),
        MetricNames.FreshSourceShare => Bootstrap.Ratio([.. users.Select(u => (double)u.FreshSourceImpressions)], [.. users.Select(u => (double)u.Impressions)]),
        MetricNames.ClicksPerSession => Bootstrap.Ratio([.. users.Select(u => (double)u.Clicks)], [.. users.Select(u => (double)u.Sessions)]),
        MetricNames.SlatesPerSession => Bootstrap.Ratio([.. users.Select(u => (double)u.Slates)], [.. users.Select(u => (double)u.Sessions)]),
        MetricNames.FreshWatchShare => Bootstrap.Ratio([.. users.Select(u => u.FreshWatchSeconds)], [.. users.Select(u => u.WatchSeconds)]),
        MetricNames.Coverage => sample =>
        {
            var shown = new HashSet<string>(StringComparer.Ordinal);
            foreach (var i in sample.Distinct())
            {
                shown.UnionWith(users[i].Shown);
            }
            return (double)shown.Count / catalogueSize;
        },
        _ => throw new ArgumentException($"unknown metric '{metric}'"),
    };

    private static int Seed(int seed, int metric, int arm) => Funnel.Core.SeedMixer.Mix(seed, 1_000 + metric, arm);
}

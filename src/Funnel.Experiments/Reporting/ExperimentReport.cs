using System.Globalization;
using System.Text;
using System.Text.Json;
using Funnel.Core;
using Funnel.Runs.Reports;

namespace Funnel.Experiments.Reporting;

/// <summary>
/// The experiment's report: experiment.md and experiment.html (online metrics with intervals, each
/// arm against the control, offline metrics, offline against online ranking of the arms),
/// daily-watch.png, offline-vs-online.png and experiment.json.
/// </summary>
public static class ExperimentReport
{

    /// <summary>The metrics compared offline and online, with which way is better.</summary>
    private static readonly (string Label, string Metric, bool Offline, bool HigherIsBetter)[] Rankings =
    [
        ("offline AUC", MetricNames.Auc, true, true),
        ("offline loss", MetricNames.WeightedPerUserLoss, true, false),
        ("offline top-1 watch s", MetricNames.WatchSecondsTop(1), true, true),
        ("online watch s", MetricNames.WatchSecondsPerUserDay, false, true),
        ("online CTR", MetricNames.ClickThroughRate, false, true),
    ];

    /// <summary>Writes every file of the report into <paramref name="folder"/>; returns the HTML path.</summary>
    public static string Write(string folder, ExperimentResult result)
    {
        var arms = result.Models.Keys.ToList();
        LineChart.Save(
            Path.Combine(folder, "daily-watch.png"),
            "Watch time per user per simulated day",
            "day",
            "watch seconds per user",
            [.. arms.Select(arm =>
            {
                var days = result.Daily.Where(d => d.Name == arm).ToList();
                return new Series(arm, [.. days.Select(d => (double)d.Day)], [.. days.Select(d => d.WatchSecondsPerUser)], Low: [.. days.Select(d => d.Low)], High: [.. days.Select(d => d.High)]);
            })]);
        BarChart.Save(
            Path.Combine(folder, "offline-vs-online.png"),
            "Each arm relative to the best arm on each metric (1 = best)",
            "relative to the best arm",
            [.. Rankings.Select(r => r.Label)],
            [.. arms.Select(arm => new BarSeries(
                arm,
                [.. Rankings.Select(r => Relative(result, arm, r.Metric, r.Offline, r.HigherIsBetter))],
                [.. Rankings.Select(r => RelativeInterval(result, arm, r).Low)],
                [.. Rankings.Select(r => RelativeInterval(result, arm, r).High)]))]);
        var markdown = Markdown(result, folder);
        File.WriteAllText(Path.Combine(folder, "experiment.md.tmp"), markdown);
        File.Move(Path.Combine(folder, "experiment.md.tmp"), Path.Combine(folder, "experiment.md"), overwrite: true);
        File.WriteAllText(Path.Combine(folder, "experiment.json.tmp"), JsonSerializer.Serialize(result, FunnelJson.Documents));
        File.Move(Path.Combine(folder, "experiment.json.tmp"), Path.Combine(folder, "experiment.json"), overwrite: true);
        var html = Path.Combine(folder, "experiment.html");
        HtmlReport.Write(html, "Funnel experiment", markdown, "funnel experiment");
        return html;
    }

    /// <summary>The report's Markdown; model folders are shown relative to <paramref name="folder"/> (the report's own, where the arms' models live) when given.</summary>
    public static string Markdown(ExperimentResult result, string? folder = null)
    {
        string Shown(string path) => folder is null ? path : Path.GetRelativePath(folder, path);
        var arms = result.Models.Keys.ToList();
        var control = arms[0];
        var text = new StringBuilder("# Funnel experiment\n\n");
        text.Append(CultureInfo.InvariantCulture, $"World `{result.Dataset}`; {result.Days} simulated days from {result.StartUtc:u} (the logs before then trained the arms and seeded each user's state); seed {result.Seed}; {result.Seconds:F0} s of simulation. Users were assigned to arms by a stable hash of their id. Each slate came from the arm's own service over HTTP, and what the user did with it went back through `POST /v1/events`.\n\n");
        text.Append("| arm | model folder | users | slates served |\n|---|---|---:|---:|\n");
        foreach (var arm in arms)
        {
            var users = result.Arms.First(r => r.Name == arm).Users;
            text.Append(CultureInfo.InvariantCulture, $"| {arm}{(arm == control ? " (control)" : "")} | `{Shown(result.Models[arm])}` | {users:N0} | {result.Slates[arm]:N0} |\n");
        }

        text.Append("\n## Online: what the simulated users did\n\nMean with its 95% bootstrap interval over users. Watch time counts only watches of recommended videos; coverage is the share of the catalogue shown at least once; fresh shares are the shares of impressions and of watch time on videos less than a day old; the mean shown age and duration are the mean days since upload and the mean length of the videos shown.\n\n");
        text.Append("| metric | ").Append(string.Join(" | ", arms)).Append(" |\n|---|").Append(string.Concat(arms.Select(_ => "---:|"))).Append('\n');
        foreach (var metric in OnlineMetrics.Names)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {metric} | ");
            text.Append(string.Join(" | ", arms.Select(arm => result.Arms.First(r => r.Name == arm && r.Metric == metric)).Select(r => $"{Format(metric, r.Mean)} [{Format(metric, r.CiLow)}, {Format(metric, r.CiHigh)}]")));
            text.Append(" |\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"\n## Against the control ({control})\n\nTreatment minus control, 95% bootstrap interval of the difference; a difference is called only when the interval excludes zero.\n\n");
        text.Append("| arm | metric | difference | 95% interval | verdict |\n|---|---|---:|---|---|\n");
        foreach (var c in result.Comparisons)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {c.Name} | {c.Metric} | {Format(c.Metric, c.Difference)} | [{Format(c.Metric, c.CiLow)}, {Format(c.Metric, c.CiHigh)}] | {c.Verdict} |\n");
        }
        foreach (var c in result.Comparisons.Where(c => c.Metric == OnlineMetrics.Names[0]))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n**{c.Name} against {control}: watch time per user-day {(c.Verdict == "no significant difference" ? "shows no significant difference" : $"is significantly {c.Verdict}")} ({Format(c.Metric, c.Difference)} s, 95% interval [{Format(c.Metric, c.CiLow)}, {Format(c.Metric, c.CiHigh)}]).**\n");
        }

        var sampled = result.Anatomy.Count > 0 ? result.Anatomy[0] : null;
        text.Append(CultureInfo.InvariantCulture, $"\n## Slates against their candidates\n\nAt the start, for the first {sampled?.Users ?? 0} users of each arm, the whole ranked candidate list from the arm's API: all candidates, the candidate model's own top {sampled?.Top ?? 0} (by candidate rank) and the ranker's top (the slate). Recent: uploaded less than 7 days before.\n\n");
        text.Append("| arm | recent: candidates / candidates' top / ranker's top | mean age, days: candidates' top / ranker's top | mean length, s: candidates / ranker's top |\n|---|---|---|---|\n");
        foreach (var a in result.Anatomy)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {a.Name} | {a.CandidatesRecent:P1} / {a.CandidateTopRecent:P1} / {a.RankerTopRecent:P1} | {a.CandidateTopAgeDays:F1} / {a.RankerTopAgeDays:F1} | {a.CandidatesSeconds:F0} / {a.RankerTopSeconds:F0} |\n");
        }

        text.Append("\n## Offline: each arm's ranker on the logs before the experiment\n\nThe last 10% of the logged time span, scored as `funnel evaluate ranking` does.\n\n");
        var offlineMetrics = result.Offline.Select(o => o.Metric).Distinct().ToList();
        text.Append("| arm | ranker | ").Append(string.Join(" | ", offlineMetrics)).Append(" |\n|---|---|").Append(string.Concat(offlineMetrics.Select(_ => "---:|"))).Append('\n');
        foreach (var arm in arms)
        {
            var rows = result.Offline.Where(o => o.Name == arm).ToList();
            text.Append(CultureInfo.InvariantCulture, $"| {arm} | {rows.FirstOrDefault()?.Config} | ");
            text.Append(string.Join(" | ", offlineMetrics.Select(m => rows.FirstOrDefault(r => r.Metric == m)?.Value.ToString("G4", CultureInfo.InvariantCulture) ?? "")));
            text.Append(" |\n");
        }

        text.Append("\n## Offline against online\n\nThe arms in order on each metric (best first; offline: click AUC, weighted per-user loss, watch seconds of the top-ranked impression; online: watch seconds per user-day, click-through rate).\n\n| metric | order |\n|---|---|\n");
        foreach (var ranking in Rankings)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {ranking.Label} | {string.Join(" > ", Order(result, arms, ranking.Metric, ranking.Offline, ranking.HigherIsBetter))} |\n");
        }
        var byAuc = Order(result, arms, MetricNames.Auc, offline: true, higherIsBetter: true).FirstOrDefault();
        var byWatch = Order(result, arms, OnlineMetrics.Names[0], offline: false, higherIsBetter: true).FirstOrDefault();
        if (byAuc is not null && byWatch is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nOffline click AUC puts **{byAuc}** first; online watch time puts **{byWatch}** first: {(byAuc == byWatch ? "here they agree" : "offline and online disagree")}.\n");
        }
        text.Append("\n![Daily watch time per arm](daily-watch.png)\n\n![Offline against online](offline-vs-online.png)\n");
        return text.ToString();
    }

    private static double? Value(ExperimentResult result, string arm, string metric, bool offline) =>
        offline
            ? result.Offline.FirstOrDefault(o => o.Name == arm && o.Metric == metric)?.Value
            : result.Arms.FirstOrDefault(r => r.Name == arm && r.Metric == metric)?.Mean;

    private static List<string> Order(ExperimentResult result, IReadOnlyList<string> arms, string metric, bool offline, bool higherIsBetter) =>
        [.. arms.Select(arm => (arm, value: Value(result, arm, metric, offline)))
            .Where(p => p.value is { } v && double.IsFinite(v))
            .OrderBy(p => higherIsBetter ? -p.value!.Value : p.value!.Value)
            .Select(p => p.arm)];

    /// <summary>The arm's value over the best arm's (best ÷ value when lower is better), so 1 marks the best.</summary>
    private static double Relative(ExperimentResult result, string arm, string metric, bool offline, bool higherIsBetter)
    {
        var values = result.Models.Keys.Select(a => Value(result, a, metric, offline)).OfType<double>().Where(double.IsFinite).ToList();
        if (Value(result, arm, metric, offline) is not { } value || !double.IsFinite(value) || values.Count == 0)
        {
            return 0;
        }
        return higherIsBetter ? value / values.Max() : values.Min() / value;
    }

    /// <summary>An online metric's 95% interval on the same relative scale as <see cref="Relative"/> (NaN for offline metrics, which have none).</summary>
    private static (double Low, double High) RelativeInterval(ExperimentResult result, string arm, (string Label, string Metric, bool Offline, bool HigherIsBetter) ranking)
    {
        var row = result.Arms.FirstOrDefault(r => r.Name == arm && r.Metric == ranking.Metric);
        var values = result.Models.Keys.Select(a => Value(result, a, ranking.Metric, offline: false)).OfType<double>().Where(double.IsFinite).ToList();
        if (ranking.Offline || row is null || values.Count == 0 || !double.IsFinite(row.CiLow) || !double.IsFinite(row.CiHigh) || row.CiLow <= 0)
        {
            return (double.NaN, double.NaN);
        }
        return ranking.HigherIsBetter ? (row.CiLow / values.Max(), row.CiHigh / values.Max()) : (values.Min() / row.CiHigh, values.Min() / row.CiLow);
    }

    private static string Format(string metric, double value) => metric switch
    {
        MetricNames.WatchSecondsPerUserDay => value.ToString("F1", CultureInfo.InvariantCulture),
        MetricNames.ClicksPerUserDay or MetricNames.ClicksPerSession or MetricNames.SlatesPerSession => value.ToString("F3", CultureInfo.InvariantCulture),
        MetricNames.MeanShownAgeDays => value.ToString("F2", CultureInfo.InvariantCulture),
        MetricNames.MeanShownDurationSeconds => value.ToString("F0", CultureInfo.InvariantCulture),
        _ => value.ToString("F4", CultureInfo.InvariantCulture),
    };
}

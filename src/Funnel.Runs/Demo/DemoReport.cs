using System.Globalization;
using System.Text;
using Funnel.Core;
using Funnel.Runs.Reports;

namespace Funnel.Runs.Demo;

/// <summary>The demo's report: Markdown as it is built, and the same as a standalone HTML page beside it.</summary>
internal static class DemoReport
{
    /// <summary>The replayed users: each one's recent history beside the slate the service returned, then per-stage latency.</summary>
    public static string Replays(IReadOnlyList<ReplayedUser> users)
    {
        var text = new StringBuilder("## The service: replayed sessions\n\n");
        text.Append("Each user's events up to the ranker's holdout were posted to `POST /v1/events`, then `POST /v1/recommendations` asked for 10 videos at that moment. ✓ marks a video the user did watch after it (the log's future, which the service never saw).\n\n");
        foreach (var user in users)
        {
            text.Append(CultureInfo.InvariantCulture, $"### {user.UserId} ({user.Events:N0} events posted)\n\n");
            text.Append("Last watched: ").Append(string.Join(", ", user.History.Select(h => $"`{h.Video}` ({h.Topics})"))).Append("\n\n");
            var hits = user.Slate.Count(s => s.WatchedLater);
            text.Append(CultureInfo.InvariantCulture, $"{hits} of these {user.Slate.Count} were among the {user.WatchedLater:N0} distinct videos (of {user.Catalogue:N0}) the user watched after the cut{(hits == 0 ? ": none is common, since a top 10 that holds any one given later watch is the exception even for a good model (Recall@10 in the table above)" : "")}.\n\n");
            text.Append("| # | video | topics | expected watch s | sources | rank in source | watched later |\n|---:|---|---|---:|---|---:|:---:|\n");
            foreach (var (entry, i) in user.Slate.Select((s, i) => (s, i)))
            {
                text.Append(CultureInfo.InvariantCulture, $"| {i + 1} | `{entry.Item.VideoId}` | {entry.Topics} | {entry.Item.Score:F1} | {string.Join(", ", entry.Item.Sources)} | {entry.Item.CandidateRank} | {(entry.WatchedLater ? "✓" : "")} |\n");
            }
            text.Append('\n');
        }
        text.Append("Per-stage latency of those requests (ms, in-process service on loopback, first requests include warm-up):\n\n");
        var stages = users.SelectMany(u => u.Debug.StageMs.Keys).Distinct().ToList();
        text.Append("| user | ").Append(string.Join(" | ", stages)).Append(" | candidates ranked |\n|---|").Append(string.Concat(stages.Select(_ => "---:|"))).Append("---:|\n");
        foreach (var user in users)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {user.UserId} | {string.Join(" | ", stages.Select(s => user.Debug.StageMs.GetValueOrDefault(s).ToString("F2", CultureInfo.InvariantCulture)))} | {user.Debug.Ranked} |\n");
        }
        return text.Append('\n').ToString();
    }

    /// <summary>Writes report.md and report.html into <paramref name="folder"/>; returns the HTML path.</summary>
    public static string Write(string folder, string markdown)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, "report.md"), markdown);
        var path = Path.Combine(folder, "report.html");
        HtmlReport.Write(path, "Funnel demo", markdown, "funnel demo");
        return path;
    }
}

using System.Globalization;
using System.Net;
using System.Text;
using Funnel.Data;
using Markdig;

namespace Funnel.Cli.Demo;

/// <summary>The demo's report: Markdown as it is built, and the same as a standalone HTML page (Markdig) beside it.</summary>
internal static class DemoReport
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>The replayed users: each one's recent history beside the slate the service returned, then per-stage latency.</summary>
    public static string Replays(IReadOnlyList<ReplayedUser> users)
    {
        var text = new StringBuilder("## The service: replayed sessions\n\n");
        text.Append("Each user's events up to the ranker's holdout were posted to `POST /v1/events`, then `POST /v1/recommendations` asked for 10 videos at that moment. ✓ marks a video the user did watch after it (the log's future, which the service never saw).\n\n");
        foreach (var user in users)
        {
            text.Append(CultureInfo.InvariantCulture, $"### {user.UserId} ({user.Events:N0} events posted)\n\n");
            text.Append("Last watched: ").Append(string.Join(", ", user.History.Select(h => $"`{h.Video}` ({h.Topics})"))).Append("\n\n");
            text.Append("| # | video | topics | expected watch s | source | candidate rank | watched later |\n|---:|---|---|---:|---|---:|:---:|\n");
            foreach (var (entry, i) in user.Slate.Select((s, i) => (s, i)))
            {
                text.Append(CultureInfo.InvariantCulture, $"| {i + 1} | `{entry.Item.VideoId}` | {entry.Topics} | {entry.Item.Score:F1} | {entry.Item.Source} | {entry.Item.CandidateRank} | {(entry.WatchedLater ? "✓" : "")} |\n");
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
        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Funnel demo</title>\n")
            .Append("<style>body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.2em .5em}th{background:#f4f4f4}img{max-width:100%}code{background:#f4f4f4}</style>\n")
            .Append("</head><body>\n")
            .Append(Markdown.ToHtml(markdown, Pipeline))
            .Append(CultureInfo.InvariantCulture, $"<footer><p>Written by funnel demo, {WebUtility.HtmlEncode(DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture))}.</p></footer>\n</body></html>\n");
        var path = Path.Combine(folder, "report.html");
        AtomicFile.WriteAllText(path, html.ToString());
        return path;
    }
}

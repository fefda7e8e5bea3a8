using System.Globalization;
using System.Net;
using System.Text;
using Markdig;

namespace Funnel.Runs.Reports;

/// <summary>A Markdown report as a standalone HTML page (Markdig), written atomically beside its images.</summary>
public static class HtmlReport
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>Writes the page; <paramref name="writer"/> names the command in the footer.</summary>
    public static void Write(string path, string title, string markdown, string writer)
    {
        var html = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title>\n")
            .Append("<style>body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.2em .5em}th{background:#f4f4f4}img{max-width:100%}code{background:#f4f4f4}</style>\n")
            .Append("</head><body>\n")
            .Append(Markdown.ToHtml(markdown, Pipeline))
            .Append(CultureInfo.InvariantCulture, $"<footer><p>Written by {WebUtility.HtmlEncode(writer)}, {WebUtility.HtmlEncode(DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture))}.</p></footer>\n</body></html>\n");
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, html.ToString());
        File.Move(temporary, path, overwrite: true);
    }
}

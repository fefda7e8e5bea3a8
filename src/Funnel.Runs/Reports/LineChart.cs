using ScottPlot;

namespace Funnel.Runs.Reports;

/// <summary>One named line of a chart.</summary>
/// <param name="Name">Legend entry.</param>
/// <param name="X">X values.</param>
/// <param name="Y">Y values (same length).</param>
/// <param name="RightAxis">Plot against the right-hand y axis (a second unit).</param>
public sealed record Series(string Name, double[] X, double[] Y, bool RightAxis = false);

/// <summary>Line charts as PNG files, rendered headless with ScottPlot.</summary>
public static class LineChart
{
    /// <summary>Writes the chart atomically (temporary file, then rename).</summary>
    public static void Save(string path, string title, string xLabel, string yLabel, IReadOnlyList<Series> series, string? rightLabel = null, int width = 800, int height = 450)
    {
        using var plot = new Plot();
        // The default serif font lacks some symbols on Linux; DejaVu Sans ships with Debian.
        plot.Font.Set("DejaVu Sans");
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        foreach (var line in series)
        {
            var scatter = plot.Add.Scatter(line.X, line.Y);
            scatter.LegendText = line.Name;
            if (line.RightAxis)
            {
                scatter.Axes.YAxis = plot.Axes.Right;
            }
        }
        if (rightLabel is not null)
        {
            plot.Axes.Right.Label.Text = rightLabel;
        }
        plot.ShowLegend();
        var temporary = path + ".tmp.png";
        plot.SavePng(temporary, width, height);
        File.Move(temporary, path, overwrite: true);
    }
}

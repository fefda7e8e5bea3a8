using ScottPlot;

namespace Funnel.Runs.Reports;

/// <summary>One named line of a chart.</summary>
/// <param name="Name">Legend entry.</param>
/// <param name="X">X values.</param>
/// <param name="Y">Y values (same length).</param>
/// <param name="RightAxis">Plot against the right-hand y axis (a second unit).</param>
/// <param name="Low">Lower ends of an interval around each Y (e.g. a 95% bootstrap interval), drawn as a band; null for none.</param>
/// <param name="High">Upper ends of that interval.</param>
public sealed record Series(string Name, double[] X, double[] Y, bool RightAxis = false, double[]? Low = null, double[]? High = null);

/// <summary>
/// Line charts as PNG files, rendered headless with ScottPlot: the legend beside the plot, never over
/// its last points; whole-number ticks when every x is a whole number (epochs, days); a shaded band
/// for a series' interval.
/// </summary>
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
        for (var s = 0; s < series.Count; s++)
        {
            var line = series[s];
            var color = Palette.Default.GetColor(s);
            if (line.Low is { } low && line.High is { } high)
            {
                var band = plot.Add.FillY(line.X, low, high);
                band.FillColor = color.WithAlpha(0.2);
                band.LineWidth = 0;
                if (line.RightAxis)
                {
                    band.Axes.YAxis = plot.Axes.Right;
                }
            }
            var scatter = plot.Add.Scatter(line.X, line.Y);
            scatter.Color = color;
            scatter.LegendText = line.Low is null ? line.Name : $"{line.Name} (band: 95% interval)";
            if (line.RightAxis)
            {
                scatter.Axes.YAxis = plot.Axes.Right;
            }
        }
        if (series.All(line => line.X.All(x => x == Math.Floor(x))))
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        }
        if (rightLabel is not null)
        {
            plot.Axes.Right.Label.Text = rightLabel;
        }
        plot.ShowLegend(Edge.Right);
        var temporary = path + ".tmp.png";
        plot.SavePng(temporary, width, height);
        File.Move(temporary, path, overwrite: true);
    }
}

using ScottPlot;

namespace Funnel.Runs.Reports;

/// <summary>One named set of bars, one value per category.</summary>
/// <param name="Name">Legend entry.</param>
/// <param name="Values">One value per category.</param>
/// <param name="Low">Lower ends of each value's interval (NaN where it has none), drawn as a whisker; null for none.</param>
/// <param name="High">Upper ends.</param>
public sealed record BarSeries(string Name, double[] Values, double[]? Low = null, double[]? High = null);

/// <summary>Grouped bar charts as PNG files, rendered headless with ScottPlot.</summary>
public static class BarChart
{
    /// <summary>Writes the chart atomically: categories along x, one bar per series in each group.</summary>
    public static void Save(string path, string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<BarSeries> series, int width = 900, int height = 560)
    {
        if (series.Any(s => s.Values.Length != categories.Count))
        {
            throw new ArgumentException($"every bar series needs {categories.Count} values, one per category");
        }
        using var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Title(title);
        plot.YLabel(yLabel);
        var groupWidth = 0.8;
        var barWidth = groupWidth / Math.Max(1, series.Count);
        var whiskers = false;
        for (var s = 0; s < series.Count; s++)
        {
            var bars = series[s].Values.Select((value, c) => new Bar
            {
                Position = c - (groupWidth / 2) + ((s + 0.5) * barWidth),
                Value = value,
                Size = barWidth * 0.95,
                FillColor = Palette.Default.GetColor(s),
            }).ToList();
            plot.Add.Bars(bars);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s].Name, FillColor = Palette.Default.GetColor(s) });
            for (var c = 0; c < categories.Count; c++)
            {
                if (series[s].Low?[c] is { } low && series[s].High?[c] is { } high && double.IsFinite(low) && double.IsFinite(high))
                {
                    var whisker = plot.Add.Line(bars[c].Position, low, bars[c].Position, high);
                    whisker.LineColor = Colors.Black;
                    whisker.LineWidth = 1.5f;
                    whiskers = true;
                }
            }
        }
        if (whiskers)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "95% interval", LineColor = Colors.Black, LineWidth = 1.5f });
        }
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, categories.Count).Select(c => (double)c)], [.. categories]);
        // Long category names: rotated labels, with room kept for them below the axis.
        plot.Axes.Bottom.TickLabelStyle.Rotation = 40;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 150;
        plot.Axes.Margins(bottom: 0, top: 0.25);
        // Beside the bars, never over them.
        plot.ShowLegend(Edge.Right);
        var temporary = path + ".tmp.png";
        plot.SavePng(temporary, width, height);
        File.Move(temporary, path, overwrite: true);
    }
}

using System.Globalization;

namespace Funnel.Torch;

/// <summary>A progress report during training, from either trainer.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Most epochs.</param>
/// <param name="Step">Steps done in this epoch.</param>
/// <param name="Steps">Steps per epoch.</param>
/// <param name="Loss">Mean loss so far in this epoch.</param>
/// <param name="ExamplesPerSecond">Throughput so far in this epoch.</param>
/// <param name="Elapsed">Time spent in this epoch so far.</param>
/// <param name="Finished">The epoch's record once it is complete (validation done), else null.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Step, int Steps, double Loss, double ExamplesPerSecond, TimeSpan Elapsed, EpochRecord? Finished)
{
    /// <summary>How often trainers report within an epoch.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>The report as one log line, e.g. "train: epoch 2/10 step 40/90 loss 5.1234 …".</summary>
    /// <param name="stage">What is training, the line's prefix.</param>
    /// <param name="validation">The name of the validation figure (e.g. "validation recall"), or null when there is none.</param>
    public string Describe(string stage, string? validation = null)
    {
        if (Finished is { } epoch)
        {
            var checkedOn = validation is null || double.IsNaN(epoch.Validation) ? "" : string.Create(CultureInfo.InvariantCulture, $", {validation} {epoch.Validation:F4}");
            return string.Create(CultureInfo.InvariantCulture, $"{stage}: epoch {epoch.Epoch}/{Epochs} done: loss {epoch.Loss:F4}, {epoch.ExamplesPerSecond:N0} examples/s{checkedOn} ({epoch.Seconds:F1} s)");
        }
        var eta = TimeSpan.FromSeconds(Elapsed.TotalSeconds * (Steps - Step) / Math.Max(1, Step));
        return string.Create(CultureInfo.InvariantCulture, $"{stage}: epoch {Epoch}/{Epochs} step {Step}/{Steps} loss {Loss:F4} {ExamplesPerSecond:N0} examples/s, epoch ETA {eta:mm\\:ss}");
    }
}

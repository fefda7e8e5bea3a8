namespace Funnel.Torch;

/// <summary>One epoch of a training run, as curves, checkpoints and manifests keep it; both trainers write these.</summary>
/// <param name="Epoch">1-based, as logs, reports and JSON show it.</param>
/// <param name="Loss">Mean training loss over the epoch.</param>
/// <param name="ExamplesPerSecond">Training throughput of the epoch (without validation).</param>
/// <param name="Validation">The validation figure the trainer keeps the best epoch by (candidates: Recall@K); NaN when it has none.</param>
/// <param name="Seconds">Wall-clock seconds of the epoch including validation.</param>
public sealed record EpochRecord(int Epoch, double Loss, double ExamplesPerSecond, double Validation, double Seconds);

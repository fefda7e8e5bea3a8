namespace Funnel.Candidates.Training;

/// <summary>One epoch of a training run, as the curve and the checkpoint keep it.</summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="Loss">Mean sampled-softmax loss over the epoch's batches.</param>
/// <param name="ExamplesPerSecond">Training throughput of the epoch (without validation).</param>
/// <param name="ValidationRecall">Recall@K on validation queries after the epoch (NaN without validation queries).</param>
/// <param name="Seconds">Wall-clock seconds of the epoch including validation.</param>
public sealed record EpochRecord(int Epoch, double Loss, double ExamplesPerSecond, double ValidationRecall, double Seconds);

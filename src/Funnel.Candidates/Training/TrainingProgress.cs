namespace Funnel.Candidates.Training;

/// <summary>A progress report during training.</summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="Epochs">Most epochs.</param>
/// <param name="Step">Steps done in this epoch.</param>
/// <param name="Steps">Steps per epoch.</param>
/// <param name="Loss">Mean loss so far in this epoch.</param>
/// <param name="ExamplesPerSecond">Throughput so far in this epoch.</param>
/// <param name="Elapsed">Time spent in this epoch so far.</param>
/// <param name="Finished">The epoch's record once it is complete (validation done), else null.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Step, int Steps, double Loss, double ExamplesPerSecond, TimeSpan Elapsed, EpochRecord? Finished);

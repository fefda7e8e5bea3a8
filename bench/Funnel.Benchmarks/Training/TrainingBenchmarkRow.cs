namespace Funnel.Benchmarks.Training;

/// <summary>One training throughput measurement (`funnel bench training --json` rows).</summary>
/// <param name="System">funnel or pytorch.</param>
/// <param name="Videos">Video vocabulary size.</param>
/// <param name="Optimizer">Embedding-table optimiser.</param>
/// <param name="ExamplesPerS">Training examples per second.</param>
/// <param name="PeakMb">Peak resident memory of the run, MB.</param>
/// <param name="Steps">Timed steps.</param>
/// <param name="MsPerStep">Milliseconds per step.</param>
/// <param name="RssGrowthMb">Resident memory at the end minus after warm-up (flat memory ≈ 0); NaN for peers.</param>
public sealed record TrainingBenchmarkRow(string System, int Videos, string Optimizer, double ExamplesPerS, double PeakMb, int Steps, double MsPerStep, double RssGrowthMb);

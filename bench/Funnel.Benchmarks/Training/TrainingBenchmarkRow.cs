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
/// <param name="Round">Which round of the interleaved measurements (1-based).</param>
/// <param name="PeerRatio">Funnel's examples/s over the peer's of the same round and configuration (the mean bag, the peer's model); NaN for the peer's rows, other encoders and runs without a peer.</param>
public sealed record TrainingBenchmarkRow(string System, int Videos, string Optimizer, double ExamplesPerS, double PeakMb, int Steps, double MsPerStep, double RssGrowthMb, int Round = 1, double PeerRatio = double.NaN);

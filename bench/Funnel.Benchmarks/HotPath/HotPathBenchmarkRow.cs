namespace Funnel.Benchmarks.HotPath;

/// <summary>One hot-path measurement (`funnel bench hot-path --json`).</summary>
/// <param name="Model">The model folder's name.</param>
/// <param name="MeanMs">Mean wall time of one slate, ms (one thread, nothing else running in the process).</param>
/// <param name="StandardErrorMs">Standard error of the mean, ms.</param>
/// <param name="AllocatedKbPerSlate">Managed kilobytes allocated per slate (BenchmarkDotNet's memory diagnoser).</param>
/// <param name="Gen0Collections">Generation-0 collections during the measured operations.</param>
/// <param name="Measurements">Measured iterations.</param>
public sealed record HotPathBenchmarkRow(string Model, double MeanMs, double StandardErrorMs, double AllocatedKbPerSlate, int Gen0Collections, int Measurements);

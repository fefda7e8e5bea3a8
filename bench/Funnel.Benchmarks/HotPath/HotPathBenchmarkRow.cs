namespace Funnel.Benchmarks.HotPath;

/// <summary>One hot-path measurement (`funnel bench hot-path --json`).</summary>
/// <param name="Model">The model folder's name.</param>
/// <param name="Index">The served index's kind ("exact", "hnsw", "ivf").</param>
/// <param name="Expansion">The HNSW search beam (ef; USearch searches at least k wide), or null for another index.</param>
/// <param name="Probes">The lists an IVF index scans per query, or null for another index.</param>
/// <param name="MeanMs">Mean wall time of one slate, ms (one thread, nothing else running in the process).</param>
/// <param name="StandardErrorMs">Standard error of the mean, ms.</param>
/// <param name="AllocatedKbPerSlate">Managed kilobytes allocated per slate (BenchmarkDotNet's memory diagnoser).</param>
/// <param name="Gen0Collections">Generation-0 collections during the measured operations.</param>
/// <param name="Measurements">Measured iterations.</param>
/// <param name="UserVectorMs">Stage pass: mean ms of the user vector.</param>
/// <param name="RetrievalMs">Stage pass: mean ms of the index search for the network's candidates.</param>
/// <param name="SourcesMs">Stage pass: mean ms of the other candidate sources.</param>
/// <param name="RankingMs">Stage pass: mean ms of the features, the ranker's forward pass and the slate.</param>
/// <param name="Recall">Stage pass: mean share of the exact top-N by the model's score that the served index returns (N = the network's candidates).</param>
/// <param name="StageUsers">Users of the stage pass.</param>
public sealed record HotPathBenchmarkRow(string Model, string Index, int? Expansion, int? Probes, double MeanMs, double StandardErrorMs, double AllocatedKbPerSlate, int Gen0Collections, int Measurements, double UserVectorMs, double RetrievalMs, double SourcesMs, double RankingMs, double Recall, int StageUsers);

namespace Funnel.Benchmarks.Retrieval;

/// <summary>One row of `funnel bench retrieval` (field names per ../shared/CLI.md).</summary>
/// <param name="Index">"exact", "hnsw-angular", "hnsw-raw", "hnsw-reduction", or the peer's "hnswlib".</param>
/// <param name="N">Stored vectors.</param>
/// <param name="Dim">Vector length.</param>
/// <param name="K">Neighbours per query.</param>
/// <param name="Param">The swept setting ("ef=64", "batch", "single").</param>
/// <param name="Recall">Mean recall@K against the exact top-K.</param>
/// <param name="Qps">Queries per second.</param>
/// <param name="BuildS">Build seconds.</param>
/// <param name="MemoryMb">Size of the index: the saved graph for HNSW (vectors at its precision plus links), the matrix for exact.</param>
/// <param name="Threads">Threads the queries ran on.</param>
/// <param name="NativeMb">For HNSW: the memory USearch accounts for (with its allocator's reserve); NaN otherwise.</param>
public sealed record RetrievalBenchmarkRow(string Index, int N, int Dim, int K, string Param, double Recall, double Qps, double BuildS, double MemoryMb, int Threads, double NativeMb = double.NaN);

using Funnel.Core;

namespace Funnel.Retrieval.Persistence;

/// <summary>
/// index.json: what an index folder holds, written last, read first. Loading checks every field
/// against the files and against what the caller expects, so a stale or damaged index is an error
/// and never a silently wrong answer.
/// </summary>
/// <param name="FormatVersion">Layout version of the folder (<see cref="CurrentFormat"/>).</param>
/// <param name="Kind">"exact", "hnsw" or "ivf".</param>
/// <param name="Metric">"inner-product" or "cosine".</param>
/// <param name="Dimensions">Length of every vector.</param>
/// <param name="Count">Stored vectors.</param>
/// <param name="ModelVersion">The model the vectors came from (checked on load when the caller names one).</param>
/// <param name="Hnsw">Graph parameters, for an HNSW index.</param>
/// <param name="Files">Every data file with its size and XxHash3 checksum.</param>
/// <param name="Ivf">List parameters, for an inverted-file index.</param>
public sealed record IndexManifest(
    int FormatVersion,
    string Kind,
    string Metric,
    int Dimensions,
    long Count,
    string? ModelVersion,
    HnswManifest? Hnsw,
    IReadOnlyList<FileChecksum> Files,
    IvfManifest? Ivf = null)
{
    /// <summary>The layout this build writes and reads.</summary>
    public const int CurrentFormat = 1;

    /// <summary>The manifest's file name.</summary>
    public const string FileName = "index.json";
}

/// <summary>The parameters an HNSW graph must be reopened with.</summary>
public sealed record HnswManifest(int Connectivity, int ExpansionAdd, int ExpansionSearch, string Precision, string InnerProduct, float MaxNorm);


/// <summary>The parameters an inverted-file index was built with and searches with.</summary>
public sealed record IvfManifest(int Lists, int Probes, int Iterations, int SamplePerList, int Seed, int Rescore);

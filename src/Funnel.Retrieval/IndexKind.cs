namespace Funnel.Retrieval;

/// <summary>Which index serves a corpus.</summary>
public enum IndexKind
{
    /// <summary>Exact below <c>Selection.IndexChoice.ExactThreshold</c> vectors, HNSW above.</summary>
    Auto,

    /// <summary>Brute force: exact, no build, linear in the corpus.</summary>
    Exact,

    /// <summary>HNSW graph: sub-linear, approximate.</summary>
    Hnsw,

    /// <summary>Inverted file (k-means lists, a few scanned per query): approximate, built in seconds, suited to wide result sets.</summary>
    Ivf,
}

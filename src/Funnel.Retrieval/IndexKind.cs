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
}

namespace Funnel.Retrieval.Hnsw;

/// <summary>An error reported by the USearch native library, with its message.</summary>
public sealed class UsearchException(string message) : Exception(message);

namespace Funnel.Candidates.Model;

/// <summary>How the network reads the user's watch history.</summary>
public enum HistoryEncoderKind
{
    /// <summary>The paper's average of the watched videos' embeddings: order is lost.</summary>
    Mean,

    /// <summary>Causal self-attention over the last watches with positional (recency) embeddings; the newest position's output stands for the history.</summary>
    Attention,
}

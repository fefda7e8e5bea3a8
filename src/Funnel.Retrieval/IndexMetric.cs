namespace Funnel.Retrieval;

/// <summary>How a query is compared with stored vectors.</summary>
public enum IndexMetric
{
    /// <summary>Dot product u·v, as the paper scores candidates.</summary>
    InnerProduct,

    /// <summary>Cosine similarity: vectors and queries are normalised to unit length on the way in.</summary>
    Cosine,
}

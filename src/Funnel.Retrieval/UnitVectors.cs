using System.Numerics.Tensors;

namespace Funnel.Retrieval;

/// <summary>Unit length for cosine: what every index does to the vectors it stores and the queries it answers.</summary>
public static class UnitVectors
{
    /// <summary>Scales to unit length; a zero vector stays zero (its cosine with anything is 0).</summary>
    public static void Normalise(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }

    /// <summary>The query as the index scores it: a unit-length copy for cosine, itself otherwise.</summary>
    internal static ReadOnlySpan<float> Prepare(ReadOnlySpan<float> query, IndexMetric metric)
    {
        if (metric != IndexMetric.Cosine)
        {
            return query;
        }
        var copy = query.ToArray();
        Normalise(copy);
        return copy;
    }
}

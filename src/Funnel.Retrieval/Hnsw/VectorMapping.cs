using System.Numerics.Tensors;
using Cloud.Unum.USearch;

namespace Funnel.Retrieval.Hnsw;

/// <summary>
/// How vectors enter the graph, which metric links it and which searches it, and how USearch's
/// distances become scores. See <see cref="InnerProductStrategy"/> for the inner-product choices.
/// </summary>
internal sealed class VectorMapping
{
    private VectorMapping(IndexMetric metric, InnerProductStrategy strategy, int dimensions, float maxNorm)
    {
        Metric = metric;
        Strategy = strategy;
        Dimensions = dimensions;
        MaxNorm = maxNorm;
    }

    public IndexMetric Metric { get; }

    /// <summary>The inner-product strategy (ignored for cosine).</summary>
    public InnerProductStrategy Strategy { get; }

    /// <summary>The caller's vector length.</summary>
    public int Dimensions { get; }

    /// <summary>M of the unit-sphere reduction: vectors longer than it are clamped onto the equator.</summary>
    public float MaxNorm { get; }

    /// <summary>The length of the vectors inside the graph.</summary>
    public int StoredDimensions => Reduces ? Dimensions + 1 : Dimensions;

    /// <summary>Vectors upserted with a norm above <see cref="MaxNorm"/> (their scores are then approximate).</summary>
    public long Clamped { get; private set; }

    private bool Reduces => Metric == IndexMetric.InnerProduct && Strategy == InnerProductStrategy.UnitSphereReduction;

    /// <summary>Stored vectors are unit length (cosine, or the reduction): int8 storage then covers their range.</summary>
    private bool StoresUnitVectors => Metric == IndexMetric.Cosine || Reduces;

    public static VectorMapping Cosine(int dimensions) => new(IndexMetric.Cosine, InnerProductStrategy.AngularGraph, dimensions, 1f);

    public static VectorMapping InnerProduct(int dimensions, InnerProductStrategy strategy, float maxNorm)
    {
        if (strategy == InnerProductStrategy.UnitSphereReduction && (!(maxNorm > 0) || !float.IsFinite(maxNorm)))
        {
            throw new ArgumentException($"the unit-sphere reduction needs a positive, finite maximum norm, got {maxNorm}");
        }
        return new(IndexMetric.InnerProduct, strategy, dimensions, strategy == InnerProductStrategy.UnitSphereReduction ? maxNorm : 1f);
    }

    /// <summary>The metric the graph is linked with while inserting.</summary>
    public MetricKind BuildMetric(VectorPrecision precision) =>
        Metric == IndexMetric.InnerProduct && Strategy == InnerProductStrategy.AngularGraph ? MetricKind.Cos : SearchMetric(precision);

    /// <summary>The metric searches follow.</summary>
    /// <remarks>Unit vectors' inner product is their cosine; int8 needs USearch's cosine, which rescales the integer dot product.</remarks>
    public MetricKind SearchMetric(VectorPrecision precision) =>
        StoresUnitVectors && precision == VectorPrecision.I8 ? MetricKind.Cos : MetricKind.Ip;

    /// <summary>Writes the stored form of a vector into <paramref name="target"/> [StoredDimensions].</summary>
    public void MapVector(ReadOnlySpan<float> vector, Span<float> target)
    {
        if (!StoresUnitVectors)
        {
            vector.CopyTo(target);
            return;
        }
        var norm = TensorPrimitives.Norm(vector);
        if (!Reduces)
        {
            Scale(vector, norm, target);
            return;
        }
        if (norm > MaxNorm)
        {
            Clamped++;
            Scale(vector, norm, target);
            target[Dimensions] = 0;
            return;
        }
        TensorPrimitives.Divide(vector, MaxNorm, target[..Dimensions]);
        var ratio = norm / MaxNorm;
        target[Dimensions] = MathF.Sqrt(MathF.Max(0, 1 - (ratio * ratio)));
    }

    /// <summary>Writes the stored form of a query into <paramref name="target"/>; returns the factor that turns 1 − distance into the score.</summary>
    public float MapQuery(ReadOnlySpan<float> query, Span<float> target)
    {
        if (!StoresUnitVectors)
        {
            query.CopyTo(target);
            return 1;
        }
        var norm = TensorPrimitives.Norm(query);
        Scale(query, norm, target);
        if (!Reduces)
        {
            return 1;
        }
        target[Dimensions] = 0;
        return norm * MaxNorm;
    }

    /// <summary>The score of a neighbour from USearch's distance (1 − inner product of the stored forms).</summary>
    public static float Score(float distance, float scale) => (1 - distance) * scale;

    private static void Scale(ReadOnlySpan<float> vector, float norm, Span<float> target)
    {
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, target[..vector.Length]);
        }
        else
        {
            target[..vector.Length].Clear();
        }
    }
}

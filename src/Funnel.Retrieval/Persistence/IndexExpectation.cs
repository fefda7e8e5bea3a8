namespace Funnel.Retrieval.Persistence;

/// <summary>What the caller knows an index must be: any field left null is not checked.</summary>
/// <param name="Dimensions">The model's vector length.</param>
/// <param name="Count">The number of videos the model has vectors for.</param>
/// <param name="ModelVersion">The model the index must have been built from.</param>
public sealed record IndexExpectation(int? Dimensions = null, long? Count = null, string? ModelVersion = null)
{
    /// <summary>Throws, naming the folder and both values, when the manifest does not match.</summary>
    public void Check(IndexManifest manifest, string folder)
    {
        if (Dimensions is { } dimensions && manifest.Dimensions != dimensions)
        {
            throw new InvalidDataException($"{folder}: the index has {manifest.Dimensions}-dimensional vectors, the model {dimensions}");
        }
        if (Count is { } count && manifest.Count != count)
        {
            throw new InvalidDataException($"{folder}: the index has {manifest.Count:N0} vectors, the model {count:N0}");
        }
        if (ModelVersion is { } version && !string.Equals(manifest.ModelVersion, version, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{folder}: the index was built from model '{manifest.ModelVersion}', not '{version}'; rebuild it");
        }
    }
}

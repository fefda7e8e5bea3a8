using Funnel.Candidates.Inference;
using Funnel.Data.Examples;
using Funnel.Data.Storage;

namespace Funnel.Runs.Candidates;

/// <summary>A model folder's manifest with its dataset and the same split it was trained on.</summary>
/// <param name="Manifest">The model's manifest.</param>
/// <param name="Dataset">The dataset.</param>
/// <param name="Split">The split rebuilt with the model's recorded options.</param>
public sealed record ModelWithData(CandidateModelManifest Manifest, Dataset Dataset, DataSplit Split)
{
    /// <summary>Opens both and refuses data whose vocabularies differ from the model's.</summary>
    public static Task<ModelWithData> OpenAsync(string data, string model, CancellationToken cancellation) =>
        OpenAsync(data, model, CandidateModelFolder.ReadManifest(model), cancellation);

    /// <summary>The same, with a manifest the caller already read (and checked before loading any data).</summary>
    public static async Task<ModelWithData> OpenAsync(string data, string model, CandidateModelManifest manifest, CancellationToken cancellation)
    {
        var dataset = await Dataset.OpenAsync(data, cancellation).ConfigureAwait(false);
        var split = DataSplit.Create(await TimelineLoader.LoadAsync(dataset, cancellation).ConfigureAwait(false), manifest.Split, manifest.Examples);
        if (CandidateModelFolder.VocabularyFingerprint(split) != manifest.VocabularyFingerprint)
        {
            throw new ArgumentException($"{data} is not the data {model} was trained on (its vocabularies differ); use {manifest.DatasetPath}");
        }
        return new ModelWithData(manifest, dataset, split);
    }
}

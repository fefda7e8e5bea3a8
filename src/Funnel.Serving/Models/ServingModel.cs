using Funnel.Candidates.Inference;
using Funnel.Core;
using Funnel.Ranking.Features;
using Funnel.Ranking.Inference;
using Funnel.Ranking.Sources;
using Funnel.Retrieval;
using Funnel.Serving.State;

namespace Funnel.Serving.Models;

/// <summary>
/// Everything one model folder serves with: the candidate network (user vectors), its index, the
/// ranker, the catalogue and the other candidate sources' tables. Loaded and checked whole before it is swapped in; requests hold a
/// lease on it, and it is disposed only when the last lease of a retired model ends.
/// </summary>
public sealed class ServingModel : IDisposable
{
    // The holder's reference counts as one: the model is disposed when the count falls to 0.
    private int references = 1;
    private int disposed;
    private readonly int[] catalogueOfRow;
    private readonly VideoRows[] rankerRows;

    private ServingModel(string folder, CandidateModel candidates, IVectorIndex index, RankingModel ranker, ServingCatalogue catalogue, SourceTables sources, string contents)
    {
        Sources = sources;
        Folder = folder;
        Candidates = candidates;
        Index = index;
        Ranker = ranker;
        Catalogue = catalogue;
        // Resolved once per model: a request maps its candidates by index instead of hashing ids
        // (at a million videos, four id lookups per candidate were a tenth of a slate's CPU).
        catalogueOfRow = [.. candidates.VideoIds.Select(catalogue.IndexOf)];
        rankerRows = [.. catalogue.Videos.Select(v => ranker.Space.RowsOf(v.Id, v.Channel, v.Language))];
        // Milliseconds: two rankers can be written within one second (small models, scripted retraining).
        // The contents' checksum last: a folder whose bytes differ in any file is another version.
        Version = $"{candidates.Manifest.VersionTag()}/ranker-{ranker.Manifest.CreatedUtc.UtcDateTime:yyyyMMddTHHmmssfffZ}/{contents}";
    }

    /// <summary>Where it was loaded from.</summary>
    public string Folder { get; }

    /// <summary>The candidate stage.</summary>
    public CandidateModel Candidates { get; }

    /// <summary>The nearest-neighbour index of the candidate model's video vectors (keys: vocabulary rows).</summary>
    public IVectorIndex Index { get; }

    /// <summary>The ranking stage.</summary>
    public RankingModel Ranker { get; }

    /// <summary>The co-visits and regional sources' tables (empty unless loaded for sources or a ranker that read them).</summary>
    public SourceTables Sources { get; }

    /// <summary>Names the co-visits table (its checksum's first 12 hex digits; empty without one): live co-visits are counted per table.</summary>
    public string CoVisitsTable => Ranker.Manifest.Files?.FirstOrDefault(f => f.Name == RankingModelFolder.CoVisitsFile)?.XxHash3[..12] ?? "";

    /// <summary>The videos and their facts.</summary>
    public ServingCatalogue Catalogue { get; }

    /// <summary>
    /// Names the model in responses and metrics: when each stage was trained, and a checksum of
    /// both stages' manifests, which list every file's size and checksum (verified on load).
    /// </summary>
    public string Version { get; }

    /// <summary>The index key of a video id, or null when the candidate model does not know it.</summary>
    public long? CandidateRow(string videoId) => Candidates.RowOf(videoId);

    /// <summary>The catalogue index of the video at an index key (a candidate model row), or −1 when the catalogue does not hold it.</summary>
    public int CatalogueIndexOf(long candidateRow) => (ulong)candidateRow < (ulong)catalogueOfRow.Length ? catalogueOfRow[candidateRow] : -1;

    /// <summary>The ranker's rows of the catalogue video at <paramref name="catalogueIndex"/>.</summary>
    public VideoRows RankerRowsOf(int catalogueIndex) => rankerRows[catalogueIndex];

    /// <summary>
    /// Loads and checks a model folder; a folder that cannot serve is an error naming what is wrong.
    /// The co-visits and regional tables are read only with <paramref name="sourceTables"/> (sources
    /// that read them run) or for a ranker that reads their scores: at a million videos the co-visits
    /// table holds fifty million links.
    /// </summary>
    public static async Task<ServingModel> LoadAsync(string folder, bool sourceTables = false, CancellationToken cancellation = default)
    {
        var candidates = CandidateModel.Load(folder);
        IVectorIndex? index = null;
        RankingModel? ranker = null;
        try
        {
            index = CandidateModelFolder.LoadIndex(folder, candidates.Manifest);
            ranker = RankingModel.Load(folder);
            var expected = ranker.Manifest.CandidateModelVersion;
            if (expected is not null && expected != candidates.Manifest.VersionTag())
            {
                throw new DataFormatException(Path.Combine(folder, RankingModelFolder.Stage, RankingManifest.FileName), 0, "candidateModelVersion", $"the ranker was trained on candidate model {expected}, but the folder holds {candidates.Manifest.VersionTag()}");
            }
            var (videos, popular) = await RankingModelFolder.ReadCatalogueAsync(folder, cancellation).ConfigureAwait(false);
            var tables = sourceTables || ranker.Manifest.UsesSourceFeatures ? RankingModelFolder.ReadSources(folder) : SourceTables.Empty;
            return new ServingModel(Path.GetFullPath(folder), candidates, index, ranker, new ServingCatalogue(videos, popular), tables, ContentsChecksum(folder));
        }
        catch
        {
            ranker?.Dispose();
            index?.Dispose();
            candidates.Dispose();
            throw;
        }
    }

    /// <summary>The first 12 hex digits of a checksum over the two manifests' bytes.</summary>
    private static string ContentsChecksum(string folder)
    {
        var manifests = new[] { CandidateModelManifest.FileName, Path.Combine(RankingModelFolder.Stage, RankingManifest.FileName) }
            .Select(name => FileChecksums.Of(folder, name));
        var combined = string.Join('\n', manifests.Select(m => $"{m.Name} {m.Bytes} {m.XxHash3}"));
        return FileChecksums.Of("manifests", System.Text.Encoding.UTF8.GetBytes(combined)).XxHash3[..12];
    }

    /// <summary>Takes a lease for one request; false when the model is already gone.</summary>
    internal bool TryAcquire()
    {
        var count = Volatile.Read(ref references);
        while (count > 0)
        {
            var seen = Interlocked.CompareExchange(ref references, count + 1, count);
            if (seen == count)
            {
                return true;
            }
            count = seen;
        }
        return false;
    }

    /// <summary>Ends a lease (or the holder's reference); the last one disposes the model.</summary>
    internal void Release()
    {
        if (Interlocked.Decrement(ref references) == 0)
        {
            DisposeOnce();
        }
    }

    /// <summary>Marks the model replaced: it is disposed as soon as no request holds it.</summary>
    internal void Retire() => Release();

    /// <inheritdoc />
    public void Dispose() => DisposeOnce();

    private void DisposeOnce()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            Ranker.Dispose();
            Index.Dispose();
            Candidates.Dispose();
        }
    }
}

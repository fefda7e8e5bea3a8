using System.Numerics.Tensors;
using System.Text.Json;
using Funnel.Candidates.Model;
using Funnel.Core;
using Funnel.Data.Examples;
using Funnel.Retrieval;

namespace Funnel.Candidates.Inference;

/// <summary>
/// A trained candidate model as serving uses it: user vectors from raw histories (external ids and
/// query text), with no dataset, split or trainer. Unknown videos, tokens and categories map to the
/// out-of-vocabulary row and are left out, exactly as in training.
/// </summary>
public sealed class CandidateModel : IDisposable
{
    private readonly Dictionary<string, long> videoRows;
    private readonly Dictionary<string, long> tokenRows;
    private readonly Dictionary<string, long> regions;
    private readonly Dictionary<string, long> devices;
    private readonly Dictionary<string, long> languages;

    private CandidateModel(CandidateModelManifest manifest, CandidateNetwork network, string[] videoIds, string[] tokens, Categories categories)
    {
        Manifest = manifest;
        Network = network;
        VideoIds = videoIds;
        videoRows = RowsOf(videoIds);
        tokenRows = RowsOf(tokens);
        regions = RowsOf(categories.Regions);
        devices = RowsOf(categories.Devices);
        languages = RowsOf(categories.Languages);
        network.eval();
    }

    /// <summary>The model's manifest.</summary>
    public CandidateModelManifest Manifest { get; }

    /// <summary>The network (eval mode).</summary>
    public CandidateNetwork Network { get; }

    /// <summary>External video id of every row of the video vectors (row 0 is empty).</summary>
    public IReadOnlyList<string> VideoIds { get; }

    /// <summary>The vocabulary row of a video id (its index key), or null when the model does not know the video.</summary>
    public long? RowOf(string videoId) => videoRows.TryGetValue(videoId, out var row) ? row : null;

    /// <summary>Loads a model folder; errors name the missing or malformed file.</summary>
    public static CandidateModel Load(string folder)
    {
        var manifest = CandidateModelFolder.ReadManifest(folder);
        CandidateModelFolder.Verify(folder, manifest, "videos.txt", "tokens.txt", "categories.json");
        var stage = Path.Combine(folder, CandidateModelFolder.Stage);
        var videoIds = ReadLines(Path.Combine(stage, "videos.txt"), manifest.Network.Videos);
        var tokens = ReadLines(Path.Combine(stage, "tokens.txt"), manifest.Network.Tokens);
        var categoriesPath = Path.Combine(stage, "categories.json");
        var categories = File.Exists(categoriesPath)
            ? JsonSerializer.Deserialize<Categories>(File.ReadAllText(categoriesPath), FunnelJson.Files) ?? throw new DataFormatException(categoriesPath, "empty")
            : throw new DataFormatException(categoriesPath, "missing: the model folder is incomplete");
        return new CandidateModel(manifest, CandidateModelFolder.LoadNetwork(folder, manifest), videoIds, tokens, categories);
    }

    /// <summary>The user vectors of the histories, at example age 0 (serving). [histories, D]</summary>
    public float[] UserVectors(IReadOnlyList<UserHistory> histories)
    {
        var examples = Manifest.Examples;
        var batch = new CandidateBatch(Math.Max(1, histories.Count), examples.MaxWatchHistory);
        var tokens = new List<string>();
        foreach (var history in histories)
        {
            var watched = history.WatchedVideoIds.TakeLast(examples.MaxWatchHistory).Select(id => videoRows.GetValueOrDefault(id)).ToArray();
            tokens.Clear();
            foreach (var query in history.SearchQueries.TakeLast(examples.MaxSearchHistory))
            {
                QueryTokenizer.Tokenize(query, tokens);
            }
            var searched = tokens.Select(token => tokenRows.GetValueOrDefault(token)).ToArray();
            batch.Add(watched, searched, 0, regions.GetValueOrDefault(history.Region), devices.GetValueOrDefault(history.Device), languages.GetValueOrDefault(history.Language), Math.Clamp(history.Gender, 0, 2), history.Age, 0.0);
        }
        return Network.UserVectors(batch);
    }

    /// <summary>
    /// The index's score of each row for one user vector (u·v, or the cosine when
    /// <paramref name="metric"/> compares by cosine): the network's score of a video another source
    /// nominated, comparable with the retrieved ones.
    /// </summary>
    public float[] Scores(ReadOnlySpan<float> user, IReadOnlyList<long> rows, IndexMetric metric)
    {
        if (rows.Count == 0)
        {
            return [];
        }
        var vectors = Network.ServingVideoVectors(rows);
        var dimensions = user.Length;
        var userNorm = MathF.Sqrt(TensorPrimitives.Dot(user, user));
        var scores = new float[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            var vector = vectors.AsSpan(r * dimensions, dimensions);
            var dot = TensorPrimitives.Dot(user, vector);
            scores[r] = metric == IndexMetric.Cosine ? dot / Math.Max(userNorm * MathF.Sqrt(TensorPrimitives.Dot(vector, vector)), 1e-12f) : dot;
        }
        return scores;
    }

    /// <inheritdoc />
    public void Dispose() => Network.Dispose();

    private static Dictionary<string, long> RowsOf(string[] names)
    {
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var row = 1; row < names.Length; row++)
        {
            rows.TryAdd(names[row], row);
        }
        return rows;
    }

    private static string[] ReadLines(string path, int expected)
    {
        if (!File.Exists(path))
        {
            throw new DataFormatException(path, "missing: the model folder is incomplete");
        }
        var lines = File.ReadAllLines(path);
        return lines.Length == expected ? lines : throw new DataFormatException(path, $"holds {lines.Length} rows but the model has {expected}");
    }

    private sealed record Categories(string[] Regions, string[] Devices, string[] Languages);
}

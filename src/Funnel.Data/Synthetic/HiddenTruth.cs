using System.Text.Json;
using Funnel.Core;
using Funnel.Data.Storage;
using Parquet.Serialization;

namespace Funnel.Data.Synthetic;

/// <summary>
/// What a synthetic world knows and its logs do not show: users' interest topics and weights, and
/// videos' topics, quality, clickbait and viral bursts. Kept in the dataset's truth/ folder so a
/// simulation can make users react to recommendations exactly as the world generated them.
/// </summary>
public sealed class HiddenTruth
{
    /// <summary>The folder inside a synthetic dataset that holds the truth.</summary>
    public const string FolderName = "truth";

    private readonly Dataset dataset;
    private readonly Dictionary<int, (int[] Topics, float[] Weights)> interests;
    private readonly VideoTruth[] videos;

    private HiddenTruth(Dataset dataset, WorldDescription world, Dictionary<int, (int[], float[])> interests, VideoTruth[] videos)
    {
        this.dataset = dataset;
        World = world;
        this.interests = interests;
        this.videos = videos;
    }

    /// <summary>The options and topic vocabularies of the world.</summary>
    public WorldDescription World { get; }

    /// <summary>The hidden affinity of a user for a video, in [0, 1] (see <see cref="AffinityModel"/>).</summary>
    public double Affinity(int user, int video)
    {
        var (topics, weights) = interests[user];
        var index = Array.IndexOf(topics, videos[video].Topic);
        var interest = index < 0 ? 0.0 : weights[index] / weights[0];
        return AffinityModel.Affinity(interest, videos[video].Quality, dataset.Users[user].Language == dataset.Videos[video].Language);
    }

    /// <summary>A video's hidden attributes.</summary>
    public VideoTruth Video(int video) => videos[video];

    /// <summary>A user's interest topics (strongest first) and their weights.</summary>
    public (IReadOnlyList<int> Topics, IReadOnlyList<float> Weights) Interests(int user) => interests[user];

    /// <summary>Reads the truth of a synthetic dataset; a clear error if the dataset has none.</summary>
    public static async Task<HiddenTruth> ReadAsync(Dataset dataset, CancellationToken cancellation = default)
    {
        var folder = Path.Combine(dataset.Directory, FolderName);
        var worldPath = Path.Combine(folder, "world.json");
        if (!File.Exists(worldPath))
        {
            throw new DataFormatException(worldPath, "missing: only synthetic worlds (funnel synth) carry hidden truth");
        }
        var world = JsonSerializer.Deserialize<WorldDescription>(await File.ReadAllTextAsync(worldPath, cancellation).ConfigureAwait(false), FunnelJson.Files)
            ?? throw new DataFormatException(worldPath, "empty");
        var interestRows = (await ParquetSerializer.DeserializeAsync<InterestRow>(Path.Combine(folder, "interests.parquet"), cancellationToken: cancellation).ConfigureAwait(false)).Data;
        var videoRows = (await ParquetSerializer.DeserializeAsync<VideoTruth>(Path.Combine(folder, "videos.parquet"), cancellationToken: cancellation).ConfigureAwait(false)).Data;
        var interests = interestRows
            .GroupBy(r => r.User)
            .ToDictionary(g => g.Key, g => (g.Select(r => r.Topic).ToArray(), g.Select(r => r.Weight).ToArray()));
        return new HiddenTruth(dataset, world, interests, [.. videoRows.OrderBy(v => v.Video)]);
    }

    internal static async Task WriteAsync(string datasetFolder, WorldCatalogue catalogue, IReadOnlyList<InterestRow> interests, CancellationToken cancellation)
    {
        var folder = Directory.CreateDirectory(Path.Combine(datasetFolder, FolderName)).FullName;
        var world = new WorldDescription(catalogue.Options, catalogue.TopicWords);
        await File.WriteAllTextAsync(Path.Combine(folder, "world.json"), JsonSerializer.Serialize(world, FunnelJson.Files), cancellation).ConfigureAwait(false);
        await ParquetSerializer.SerializeAsync(interests, Path.Combine(folder, "interests.parquet"), cancellationToken: cancellation).ConfigureAwait(false);
        var videos = Enumerable.Range(0, catalogue.Options.Videos).Select(v => new VideoTruth
        {
            Video = v,
            Topic = catalogue.Topic[v],
            Quality = catalogue.Quality[v],
            Popularity = catalogue.Popularity[v],
            Clickbait = catalogue.Clickbait[v],
            BurstStart = catalogue.BurstStart[v],
            BurstEnd = catalogue.BurstEnd[v],
        });
        await ParquetSerializer.SerializeAsync(videos, Path.Combine(folder, "videos.parquet"), cancellationToken: cancellation).ConfigureAwait(false);
    }
}

/// <summary>The world's options and each topic's words (search queries and titles are drawn from them).</summary>
/// <param name="Options">The options the world was made with.</param>
/// <param name="TopicWords">Per topic, its vocabulary.</param>
public sealed record WorldDescription(WorldOptions Options, string[][] TopicWords);

/// <summary>One interest of one user.</summary>
public sealed class InterestRow
{
    /// <summary>Dense user index.</summary>
    public int User { get; set; }

    /// <summary>Topic index.</summary>
    public int Topic { get; set; }

    /// <summary>Weight; a user's weights sum to 1.</summary>
    public float Weight { get; set; }
}

/// <summary>A video's hidden attributes.</summary>
public sealed class VideoTruth
{
    /// <summary>Dense video index.</summary>
    public int Video { get; set; }

    /// <summary>Topic index.</summary>
    public int Topic { get; set; }

    /// <summary>Quality in (0, 1): raises affinity.</summary>
    public float Quality { get; set; }

    /// <summary>Heavy-tailed popularity weight used when the world picks what users watch.</summary>
    public float Popularity { get; set; }

    /// <summary>High click appeal, low completion.</summary>
    public bool Clickbait { get; set; }

    /// <summary>Start of a viral burst, Unix seconds; 0 if none.</summary>
    public long BurstStart { get; set; }

    /// <summary>End of the viral burst, Unix seconds; 0 if none.</summary>
    public long BurstEnd { get; set; }
}

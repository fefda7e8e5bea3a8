using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Funnel.Serving.Contracts;
using Funnel.Serving.Models;
using Funnel.Serving.Recommendations;
using Funnel.Serving.Store;

namespace Funnel.Benchmarks.HotPath;

/// <summary>
/// The recommendation hot path as the service runs it for one request, without HTTP or the store:
/// a user's 20 stored watches replayed, the user vector, 300 candidates from the index, the other
/// sources, every candidate's features and the ranker's forward pass, the slate of 20
/// (<see cref="Recommender.Recommend"/>). The memory diagnoser reports the managed bytes each slate
/// allocates; the model is loaded by <see cref="HotPathBenchmark"/> before the run.
/// </summary>
[MemoryDiagnoser]
public class RecommendationHotPath
{
    /// <summary>Watches of each benchmark user.</summary>
    internal const int Watches = 20;

    /// <summary>Items per slate.</summary>
    internal const int SlateSize = 20;

    /// <summary>The serving clock of every slate.</summary>
    internal static readonly long Now = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    private readonly Recommender recommender = new(new CandidateSources());
    private ServingModel? model;
    private List<UserEvent> events = [];

    /// <summary>The model served (set before the run: BenchmarkDotNet creates the instance, and a million-video model loads once).</summary>
    internal static ServingModel? Model { get; set; }

    /// <summary>Takes the model and draws the user's watches (seed 1) from its catalogue.</summary>
    [GlobalSetup]
    public void Setup()
    {
        model = Model ?? throw new InvalidOperationException("no model was set for the hot-path benchmark");
        events = UserWatches(model, new Random(1));
    }

    /// <summary>One slate.</summary>
    [Benchmark]
    public int Slate() => recommender.Recommend(model!, "hot-path-user", SlateSize, new RecommendationContext(), [], events, Now, debug: false).Items.Count;

    /// <summary>
    /// A user's <see cref="Watches"/> watches, an hour apart before <see cref="Now"/>: videos of one
    /// topic (a uniformly drawn video's), as real histories cluster, drawn with replacement.
    /// </summary>
    internal static List<UserEvent> UserWatches(ServingModel model, Random random)
    {
        var videos = model.Catalogue.Videos;
        var topic = videos[random.Next(videos.Count)].Topics;
        var sameTopic = Topics(model)[topic];
        return [.. Enumerable.Range(0, Watches).Select(i => new UserEvent(UserEventKind.Watch, Now - (3_600L * (Watches - i)), videos[sameTopic[random.Next(sameTopic.Length)]].Id, 300))];
    }

    private static readonly ConditionalWeakTable<ServingModel, Dictionary<string, int[]>> TopicsOf = [];

    /// <summary>The catalogue's videos by topic string, once per model.</summary>
    private static Dictionary<string, int[]> Topics(ServingModel model) => TopicsOf.GetValue(model, m =>
    {
        var videos = m.Catalogue.Videos;
        return Enumerable.Range(0, videos.Count).GroupBy(i => videos[i].Topics, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    });
}

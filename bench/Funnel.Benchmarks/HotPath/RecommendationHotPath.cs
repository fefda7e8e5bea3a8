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
/// allocates; the model folder is set by <see cref="HotPathBenchmark"/> before the run.
/// </summary>
[MemoryDiagnoser]
public class RecommendationHotPath
{
    private const int Watches = 20;
    private const int SlateSize = 20;
    private static readonly long Now = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
    private readonly Recommender recommender = new(new CandidateSources());
    private ServingModel? model;
    private List<UserEvent> events = [];

    /// <summary>The model folder served (set before the run: BenchmarkDotNet creates the instance).</summary>
    internal static string? ModelFolder { get; set; }

    /// <summary>Loads the model and draws the user's watches (seed 1) from its catalogue.</summary>
    [GlobalSetup]
    public void Setup()
    {
        model = ServingModel.LoadAsync(ModelFolder ?? throw new InvalidOperationException("no model folder was set for the hot-path benchmark")).GetAwaiter().GetResult();
        var random = new Random(1);
        var videos = model.Catalogue.Videos;
        events = [.. Enumerable.Range(0, Watches).Select(i => new UserEvent(UserEventKind.Watch, Now - (3_600L * (Watches - i)), videos[random.Next(videos.Count)].Id, 300))];
    }

    /// <summary>One slate.</summary>
    [Benchmark]
    public int Slate() => recommender.Recommend(model!, "hot-path-user", SlateSize, new RecommendationContext(), [], events, Now, debug: false).Items.Count;

    /// <summary>Releases the model.</summary>
    [GlobalCleanup]
    public void Cleanup() => model?.Dispose();
}

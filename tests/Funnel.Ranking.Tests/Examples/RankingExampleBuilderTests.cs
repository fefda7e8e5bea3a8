using Funnel.Data.Storage;
using Funnel.Data.Synthetic;
using Funnel.Ranking.Examples;
using Funnel.Ranking.Features;

namespace Funnel.Ranking.Tests.Examples;

public sealed class RankingExampleBuilderTests : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("funnel-ranking-").FullName;
    private Dataset dataset = null!;

    public async Task InitializeAsync()
    {
        await WorldGenerator.GenerateAsync(new WorldOptions(Users: 200, Videos: 600, Days: 6, Seed: 5), Path.Combine(folder, "world"));
        dataset = await Dataset.OpenAsync(Path.Combine(folder, "world"));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Every_impression_becomes_an_example_whose_counters_equal_the_serving_state()
    {
        var examples = await RankingExampleBuilder.BuildAsync(dataset);
        var watches = await dataset.ReadWatchesAsync().FlattenAsync();
        var impressions = await dataset.ReadImpressionsAsync().FlattenAsync();
        var searches = await dataset.ReadSearchesAsync().FlattenAsync();
        var videos = RankingExampleBuilder.Facts(dataset.Videos);

        Assert.Equal(dataset.Manifest.Counts.Impressions, examples.Length);
        Assert.Contains(examples, e => e.State.Counters.PreviousVideoImpressions > 0);
        Assert.Contains(examples, e => e.State.Counters.SecondsSinceChannelWatch < UserActivity.Never);
        Assert.Contains(examples, e => e.State.RecentSearches.Length > 0);
        Assert.All(examples.Where(e => e.Clicked), e => Assert.True(e.WatchSeconds >= 0));
        // The serving path, for every 97th example: a fresh state fed all of the user's strictly earlier events.
        foreach (var example in examples.Where((_, i) => i % 97 == 0))
        {
            var state = ServingState.Before(example.User, example.Time, watches, searches, impressions, videos);
            var facts = videos[example.Video];
            Assert.Equal(state.CountersFor(example.Video, facts.Channel, facts.Topics, example.Time), example.State.Counters);
            Assert.Equal(state.RecentWatches, example.State.RecentWatches);
            Assert.Equal(state.RecentSearches, example.State.RecentSearches);
        }
    }
}

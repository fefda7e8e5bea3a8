using Funnel.Data.Storage;
using Funnel.Data.Synthetic;

namespace Funnel.Data.Tests.Synthetic;

public sealed class WorldGeneratorTests(SmallWorld world) : IClassFixture<SmallWorld>
{
    [Fact]
    public async Task The_same_seed_gives_the_same_world_and_another_seed_another()
    {
        using var temp = new TempFolder();
        var small = new WorldOptions(Users: 60, Videos: 300, Days: 5, Seed: 11);
        await WorldGenerator.GenerateAsync(small, temp.Combine("a"));
        await WorldGenerator.GenerateAsync(small, temp.Combine("b"));
        await WorldGenerator.GenerateAsync(small with { Seed = 12 }, temp.Combine("c"));
        var a = await Dataset.OpenAsync(temp.Combine("a"));
        var b = await Dataset.OpenAsync(temp.Combine("b"));
        var c = await Dataset.OpenAsync(temp.Combine("c"));

        Assert.Equal(a.Users, b.Users);
        Assert.Equal(a.Videos, b.Videos);
        Assert.Equal(await DatasetReading.AllAsync(a.ReadWatchesAsync()), await DatasetReading.AllAsync(b.ReadWatchesAsync()));
        Assert.Equal(await DatasetReading.AllAsync(a.ReadSearchesAsync()), await DatasetReading.AllAsync(b.ReadSearchesAsync()));
        Assert.Equal(await DatasetReading.AllAsync(a.ReadImpressionsAsync()), await DatasetReading.AllAsync(b.ReadImpressionsAsync()));
        Assert.NotEqual(await DatasetReading.AllAsync(a.ReadWatchesAsync()), await DatasetReading.AllAsync(c.ReadWatchesAsync()));
    }

    [Fact]
    public void Has_every_table_and_the_sizes_asked_for()
    {
        var counts = world.Dataset.Manifest.Counts;

        Assert.Equal(400, counts.Users);
        Assert.Equal(2_000, counts.Videos);
        Assert.InRange(counts.Watches, 10_000, 100_000);
        Assert.True(counts.Searches > 500);
        Assert.True(counts.Impressions > 5_000);
        Assert.All(world.Watches, w => Assert.InRange(w.Completion, 0f, 1f));
    }

    [Fact]
    public async Task Completion_follows_the_hidden_affinity()
    {
        var truth = await HiddenTruth.ReadAsync(world.Dataset);
        var honest = world.Watches.Where(w => !truth.Video(w.Video).Clickbait).ToList();
        var byAffinity = honest.OrderBy(w => truth.Affinity(w.User, w.Video)).ToList();
        var quarter = byAffinity.Count / 4;

        var low = byAffinity.Take(quarter).Average(w => w.Completion);
        var high = byAffinity.TakeLast(quarter).Average(w => w.Completion);

        Assert.True(high > low + 0.2, $"completion: top affinity quarter {high:F3}, bottom quarter {low:F3}");
    }

    [Fact]
    public async Task Clickbait_is_clicked_more_but_watched_less()
    {
        var truth = await HiddenTruth.ReadAsync(world.Dataset);
        var top = world.Impressions.Where(i => i.Position == 0).ToList();
        double Ctr(bool clickbait) => top.Where(i => truth.Video(i.Video).Clickbait == clickbait).Average(i => i.Clicked ? 1.0 : 0.0);
        double Completion(bool clickbait) => world.Watches.Where(w => truth.Video(w.Video).Clickbait == clickbait).Average(w => w.Completion);

        Assert.True(Ctr(true) > Ctr(false), $"CTR clickbait {Ctr(true):F3} vs honest {Ctr(false):F3}");
        Assert.True(Completion(true) < Completion(false) / 2, $"completion clickbait {Completion(true):F3} vs honest {Completion(false):F3}");
    }

    [Fact]
    public void Clicks_fall_with_slate_position()
    {
        var ctr = Enumerable.Range(0, 6).Select(p => world.Impressions.Where(i => i.Position == p).Average(i => i.Clicked ? 1.0 : 0.0)).ToArray();

        Assert.True(ctr[0] > ctr[2] && ctr[2] > ctr[5], "CTR by position: " + string.Join(", ", ctr.Select(c => c.ToString("F3", System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void Fresh_uploads_get_a_large_share_of_watches()
    {
        // Half the corpus is uploaded during the 21 days, so a video younger than a week is a small
        // slice of what is available; decaying popularity makes it a large slice of what is watched.
        var uploads = world.Dataset.Videos.Select(v => v.UploadTime).ToArray();
        var fresh = world.Watches.Count(w => w.Time - uploads[w.Video] < 7 * 86_400);

        Assert.True(fresh > world.Watches.Count * 0.3, $"watches of videos under a week old: {fresh} of {world.Watches.Count}");
    }

    [Fact]
    public async Task A_search_predicts_the_next_watch()
    {
        var truth = await HiddenTruth.ReadAsync(world.Dataset);
        var byUser = world.Watches.ToLookup(w => w.User);
        var matches = 0;
        foreach (var search in world.Searches)
        {
            var next = byUser[search.User].First(w => w.Time > search.Time);
            var topicWords = truth.World.TopicWords[truth.Video(next.Video).Topic];
            if (search.Query.Split(' ').Any(topicWords.Contains))
            {
                matches++;
            }
        }

        Assert.True(matches > world.Searches.Count * 0.8, $"{matches} of {world.Searches.Count} searches share a word with the next watch's topic");
    }

    [Fact]
    public async Task Tastes_follow_demographics()
    {
        // Topics have an audience age: the mean viewer age differs widely between topics.
        var truth = await HiddenTruth.ReadAsync(world.Dataset);
        var meanAgeByTopic = world.Watches
            .GroupBy(w => truth.Video(w.Video).Topic)
            .Where(g => g.Count() >= 200)
            .Select(g => g.Average(w => world.Dataset.Users[w.User].Age))
            .ToList();

        Assert.True(meanAgeByTopic.Max() - meanAgeByTopic.Min() > 10, $"mean viewer age by topic spans {meanAgeByTopic.Min():F1} to {meanAgeByTopic.Max():F1}");
    }
}

namespace Funnel.Evaluation.Tests;

public sealed class BeyondAccuracyTests(MovieLensSplit movieLens) : IClassFixture<MovieLensSplit>
{
    [Fact]
    public void Coverage_counts_the_distinct_videos_of_every_top_k_over_the_vocabulary()
    {
        var split = movieLens.Split;
        var (a, b, c) = (split.Videos.KeyOf(1), split.Videos.KeyOf(2), split.Videos.KeyOf(3));
        var lists = new BeyondAccuracy(split, [1, 2]);

        lists.Add([a, b]);
        lists.Add([a, c]);

        var coverage = lists.Results("m").Where(r => r.Metric == "coverage").ToDictionary(r => r.K, r => r.Value);
        Assert.Equal(1.0 / (split.Videos.Rows - 1), coverage[1], 12);
        Assert.Equal(3.0 / (split.Videos.Rows - 1), coverage[2], 12);
    }

    [Fact]
    public void Lists_of_rarely_watched_videos_are_more_novel_than_lists_of_the_most_watched()
    {
        var split = movieLens.Split;
        var watches = split.Timelines.WatchVideo.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        var byWatches = watches.OrderByDescending(p => p.Value).Select(p => p.Key).ToList();
        var popular = new BeyondAccuracy(split, [10]);
        var rare = new BeyondAccuracy(split, [10]);

        popular.Add([.. byWatches.Take(10)]);
        rare.Add([.. byWatches.TakeLast(10)]);

        double Novelty(BeyondAccuracy lists) => lists.Results("m").Single(r => r.Metric == "novelty").Value;
        Assert.InRange(Novelty(popular), 0.5, 3);
        Assert.True(Novelty(rare) > Novelty(popular) + 3, $"rare {Novelty(rare)}, popular {Novelty(popular)}");
    }

    [Fact]
    public void Diversity_is_zero_for_a_list_of_one_genre_and_one_for_a_list_without_shared_genres()
    {
        var split = movieLens.Split;
        var videos = split.Timelines.Videos;
        var horror = Enumerable.Range(0, videos.Count).Where(v => videos[v].Topics == "horror").Take(3).ToArray();
        var apart = new[] { Enumerable.Range(0, videos.Count).First(v => videos[v].Topics == "horror"), Enumerable.Range(0, videos.Count).First(v => videos[v].Topics == "comedy"), Enumerable.Range(0, videos.Count).First(v => videos[v].Topics == "western") };
        var same = new BeyondAccuracy(split, [3]);
        var disjoint = new BeyondAccuracy(split, [3]);

        same.Add(horror);
        disjoint.Add(apart);

        Assert.Equal(3, horror.Length);
        Assert.Equal(0.0, same.Results("m").Single(r => r.Metric == "diversity").Value, 12);
        Assert.Equal(1.0, disjoint.Results("m").Single(r => r.Metric == "diversity").Value, 12);
    }
}

using Funnel.Ranking.Features;

namespace Funnel.Ranking.Tests.Features;

public sealed class UserActivityTests
{
    private static readonly VideoFacts[] Videos =
    [
        new(Channel: 0, Topics: [0]),
        new(Channel: 0, Topics: [1]),
        new(Channel: 1, Topics: [1, 2]),
        new(Channel: 2, Topics: [3]),
    ];

    [Fact]
    public void Counters_on_a_hand_worked_history()
    {
        // Watches: video 0 (channel 0, topic 0) at t=100, video 2 (channel 1, topics 1, 2) at t=200.
        // A search at t=120. Impressions: video 1 at 150, 300 and 300 again (the second at 300 must not see the first).
        (int, long)[] watches = [(0, 100), (2, 200)];
        (string, long)[] searches = [("cats", 120)];
        (int, long)[] impressions = [(1, 150), (1, 300), (1, 300)];

        var states = ActivityReplay.Replay(watches, searches, impressions, Videos);

        // t=150: channel 0 watched 50 s ago; topic 1 never; no earlier impressions.
        Assert.Equal(new ImpressionCounters(50, UserActivity.Never, 0, 0), states[0].Counters);
        Assert.Equal([0], states[0].RecentWatches);
        Assert.Equal(["cats"], states[0].RecentSearches);
        // t=300: channel 0 200 s ago; topic 1 (through video 2) 100 s ago; one earlier impression of video 1 and of channel 0.
        Assert.Equal(new ImpressionCounters(200, 100, 1, 1), states[1].Counters);
        Assert.Equal([0, 2], states[1].RecentWatches);
        Assert.Equal(states[1], states[2]);
    }

    [Fact]
    public void Recent_lists_keep_the_last_fifty_oldest_first()
    {
        var activity = new UserActivity();
        for (var i = 0; i < 120; i++)
        {
            activity.RecordWatch(i, 0, [], i);
            activity.RecordSearch($"q{i}");
        }

        Assert.Equal(Enumerable.Range(70, 50), activity.RecentWatches);
        Assert.Equal(Enumerable.Range(70, 50).Select(i => $"q{i}"), activity.RecentSearches);
    }

    [Fact]
    public void Training_replay_and_serving_state_give_the_same_state()
    {
        var random = new Random(11);
        for (var user = 0; user < 50; user++)
        {
            // Many events share a second, the case where "strictly before" matters.
            var watches = Enumerable.Range(0, random.Next(80)).Select(_ => (Video: random.Next(Videos.Length), Time: (long)random.Next(40))).ToArray();
            var searches = Enumerable.Range(0, random.Next(10)).Select(i => (Query: $"q{i}", Time: (long)random.Next(40))).ToArray();
            var impressions = Enumerable.Range(0, random.Next(1, 30)).Select(_ => (Video: random.Next(Videos.Length), Time: (long)random.Next(40))).ToArray();

            var replayed = ActivityReplay.Replay(watches, searches, impressions, Videos);

            for (var i = 0; i < impressions.Length; i++)
            {
                // The serving path: a fresh state fed, event by event in log order, everything before the impression's second.
                var now = impressions[i].Time;
                var serving = new UserActivity();
                foreach (var (video, time) in watches.Where(w => w.Time < now).OrderBy(w => w.Time))
                {
                    serving.RecordWatch(video, Videos[video].Channel, Videos[video].Topics, time);
                }
                foreach (var (query, _) in searches.Where(s => s.Time < now).OrderBy(s => s.Time))
                {
                    serving.RecordSearch(query);
                }
                foreach (var (video, _) in impressions.Where(m => m.Time < now))
                {
                    serving.RecordImpression(video, Videos[video].Channel);
                }
                var facts = Videos[impressions[i].Video];
                Assert.Equal(serving.CountersFor(impressions[i].Video, facts.Channel, facts.Topics, now), replayed[i].Counters);
                Assert.Equal(serving.RecentWatches, replayed[i].RecentWatches);
                Assert.Equal(serving.RecentSearches, replayed[i].RecentSearches);
            }
        }
    }
}

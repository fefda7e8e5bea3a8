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
        // Impressions: video 1 at 150, 300 and 300 again (the second at 300 must not see the first).
        (int, long)[] watches = [(0, 100), (2, 200)];
        (int, long)[] impressions = [(1, 150), (1, 300), (1, 300)];

        var counters = ActivityReplay.Replay(watches, impressions, Videos);

        // t=150: channel 0 watched 50 s ago; topic 1 never; no earlier impressions.
        Assert.Equal(new ImpressionCounters(50, UserActivity.Never, 0, 0), counters[0]);
        // t=300: channel 0 200 s ago; topic 1 (through video 2) 100 s ago; one earlier impression of video 1 and of channel 0.
        Assert.Equal(new ImpressionCounters(200, 100, 1, 1), counters[1]);
        Assert.Equal(counters[1], counters[2]);
    }

    [Fact]
    public void Training_replay_and_serving_state_give_the_same_counters()
    {
        var random = new Random(11);
        for (var user = 0; user < 50; user++)
        {
            // Many events share a second, the case where "strictly before" matters.
            var watches = Enumerable.Range(0, random.Next(30)).Select(_ => (Video: random.Next(Videos.Length), Time: (long)random.Next(40))).ToArray();
            var impressions = Enumerable.Range(0, random.Next(1, 30)).Select(_ => (Video: random.Next(Videos.Length), Time: (long)random.Next(40))).ToArray();

            var replayed = ActivityReplay.Replay(watches, impressions, Videos);

            for (var i = 0; i < impressions.Length; i++)
            {
                // The serving path: a fresh state fed, event by event in log order, everything before the impression's second.
                var now = impressions[i].Time;
                var serving = new UserActivity();
                foreach (var (video, time) in watches.Where(w => w.Time < now))
                {
                    serving.RecordWatch(Videos[video].Channel, Videos[video].Topics, time);
                }
                foreach (var (video, _) in impressions.Where(m => m.Time < now))
                {
                    serving.RecordImpression(video, Videos[video].Channel);
                }
                var facts = Videos[impressions[i].Video];
                Assert.Equal(serving.CountersFor(impressions[i].Video, facts.Channel, facts.Topics, now), replayed[i]);
            }
        }
    }
}

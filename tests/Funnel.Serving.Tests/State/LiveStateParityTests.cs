using Funnel.Data.Storage;
using Funnel.Ranking.Examples;
using Funnel.Serving.State;
using Funnel.Serving.Store;
using StackExchange.Redis;

namespace Funnel.Serving.Tests.State;

[Collection(ServingTests.Name)]
public sealed class LiveStateParityTests(ServedModel served)
{
    /// <summary>
    /// Training computes each impression's features by replaying the log (ActivityReplay); the
    /// service rebuilds the state from the events it stored. For the same events before an
    /// impression, through the real store, both must give the same counters and recent lists.
    /// </summary>
    [Fact]
    public async Task The_state_rebuilt_from_stored_events_equals_the_training_replay()
    {
        var dataset = await Dataset.OpenAsync(served.Data);
        var examples = await RankingExampleBuilder.BuildAsync(dataset);
        var watches = await dataset.ReadWatchesAsync().FlattenAsync();
        var searches = await dataset.ReadSearchesAsync().FlattenAsync();
        var impressions = await dataset.ReadImpressionsAsync().FlattenAsync();
        var catalogue = new ServingCatalogue(dataset.Videos, []);
        var folder = served.NewFolder("parity");
        using var garnet = EmbeddedGarnet.Start(folder);
        using var connection = await ConnectionMultiplexer.ConnectAsync(garnet.Connection);
        var store = new RedisEventStore(connection, RetentionPolicy.Unbounded, TimeProvider.System);

        var sample = examples.Where((_, i) => i % 41 == 0).ToList();
        foreach (var (example, n) in sample.Select((e, n) => (e, n)))
        {
            var user = $"parity-{n}";
            var before = watches.Where(w => w.User == example.User && w.Time < example.Time).Select(w => new UserEvent(UserEventKind.Watch, w.Time, dataset.Videos[w.Video].Id, w.WatchSeconds))
                .Concat(searches.Where(s => s.User == example.User && s.Time < example.Time).Select(s => new UserEvent(UserEventKind.Search, s.Time, Query: s.Query)))
                .Concat(impressions.Where(m => m.User == example.User && m.Time < example.Time).Select(m => new UserEvent(UserEventKind.Impression, m.Time, dataset.Videos[m.Video].Id, Position: m.Position, Clicked: m.Clicked)))
                .ToList();
            await store.AppendAsync(user, before);

            var live = LiveState.Replay(await store.ReadAsync(user), catalogue);

            var facts = catalogue.Facts[example.Video];
            Assert.Equal(example.State.Counters, live.CountersFor(example.Video, facts.Channel, facts.Topics, example.Time));
            Assert.Equal(example.State.RecentWatches, live.RecentWatches);
            Assert.Equal(example.State.RecentSearches, live.RecentSearches);
        }
        Assert.True(sample.Count > 10);
    }

    [Fact]
    public void Stored_events_round_trip_and_unreadable_lines_are_named()
    {
        UserEvent[] events =
        [
            new(UserEventKind.Watch, 10, "v1", 12.5f),
            new(UserEventKind.Search, 11, Query: "tabs\tand\nnewlines"),
            new(UserEventKind.Impression, 12, "v2", Position: 3, Clicked: true),
        ];

        var decoded = events.Select(e => UserEvent.Decode(e.Encode())).ToArray();

        Assert.Equal(events[0], decoded[0]);
        Assert.Equal("tabs and newlines", decoded[1].Query);
        Assert.Equal(events[2], decoded[2]);
        Assert.Contains("x\t1", Assert.Throws<InvalidDataException>(() => UserEvent.Decode("x\t1")).Message, StringComparison.Ordinal);
    }
}

using Funnel.Serving.Contracts;
using Funnel.Serving.Store;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Funnel.Serving.Tests.Store;

public sealed class RetentionTests : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("funnel-retention-").FullName;
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
    private EmbeddedGarnet? garnet;
    private ConnectionMultiplexer? connection;

    public async Task InitializeAsync()
    {
        garnet = EmbeddedGarnet.Start(folder);
        connection = await ConnectionMultiplexer.ConnectAsync(garnet.Connection);
    }

    public Task DisposeAsync()
    {
        connection?.Dispose();
        garnet?.Dispose();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Beyond_the_user_bound_the_least_recently_active_users_are_forgotten()
    {
        var store = new RedisEventStore(connection!, new RetentionPolicy(3, null), clock);
        foreach (var user in new[] { "a", "b", "c", "d", "e" })
        {
            await PostAsync(store, user);
        }
        // "a" posts again: now "b" and "c" are the least recently active.
        await PostAsync(store, "a");

        Assert.Equal(2, await store.ForgetAsync());

        Assert.Equal(3, await store.CountUsersAsync());
        Assert.Empty(await store.ReadAsync("b"));
        Assert.Empty(await store.ReadAsync("c"));
        Assert.Equal(2, (await store.ReadAsync("a")).Count);
        Assert.Single(await store.ReadAsync("d"));
        Assert.Single(await store.ReadAsync("e"));
        Assert.Equal(0, await store.ForgetAsync());
    }

    [Fact]
    public async Task Users_idle_longer_than_the_policy_allows_are_forgotten_and_may_come_back()
    {
        var store = new RedisEventStore(connection!, new RetentionPolicy(100, TimeSpan.FromDays(30)), clock);
        await PostAsync(store, "idle");
        await PostAsync(store, "active");
        clock.Advance(TimeSpan.FromDays(20));
        await PostAsync(store, "active");
        Assert.Equal(0, await store.ForgetAsync());

        clock.Advance(TimeSpan.FromDays(11));

        Assert.Equal(1, await store.ForgetAsync());
        Assert.Empty(await store.ReadAsync("idle"));
        Assert.Equal(2, (await store.ReadAsync("active")).Count);
        await PostAsync(store, "idle");
        Assert.Single(await store.ReadAsync("idle"));
    }

    [Fact]
    public async Task A_user_who_posts_after_being_picked_to_be_forgotten_is_kept()
    {
        // A round reads the oldest users, then forgets them one by one: one who posted in between is
        // no longer the oldest, and deleting its list would lose an acknowledged event.
        var store = new RedisEventStore(connection!, new RetentionPolicy(1, null), clock);
        await PostAsync(store, "a");
        await PostAsync(store, "b");
        var picked = await connection!.GetDatabase().SortedSetRangeByRankWithScoresAsync(RedisEventStore.UsersKey, 0, 0);
        Assert.Equal("a", (string?)picked.Single().Element);

        await PostAsync(store, "a");

        Assert.Equal(0, await store.ForgetUsersAsync(picked));
        Assert.Equal(2, (await store.ReadAsync("a")).Count);
        Assert.Equal(1, await store.ForgetAsync());
        Assert.Empty(await store.ReadAsync("b"));
    }

    [Fact]
    public async Task A_second_post_at_the_same_instant_still_counts_as_posting_since()
    {
        // The clock is stepped back so that a's second post falls on the instant of its first: its date must still move.
        var store = new RedisEventStore(connection!, new RetentionPolicy(1, null), clock);
        await PostAsync(store, "a");
        await PostAsync(store, "b");
        var picked = await connection!.GetDatabase().SortedSetRangeByRankWithScoresAsync(RedisEventStore.UsersKey, 0, 0);
        clock.AdjustTime(clock.GetUtcNow() - TimeSpan.FromSeconds(2));

        await PostAsync(store, "a");

        Assert.Equal(0, await store.ForgetUsersAsync(picked));
        Assert.Equal(2, (await store.ReadAsync("a")).Count);
    }

    [Fact]
    public async Task Users_stored_before_users_were_dated_are_dated_once_and_then_bounded()
    {
        var db = connection!.GetDatabase();
        await db.ListRightPushAsync(RedisEventStore.Key("old-1"), new UserEvent(UserEventKind.Search, 1_700_000_000, Query: "q").Encode());
        await db.ListRightPushAsync(RedisEventStore.Key("old-2"), new UserEvent(UserEventKind.Search, 1_700_000_000, Query: "q").Encode());
        var store = new RedisEventStore(connection, new RetentionPolicy(1, null), clock);

        Assert.Equal(2, await store.DateUndatedUsersAsync());
        Assert.Equal(0, await store.DateUndatedUsersAsync());
        Assert.Equal(2, await store.CountUsersAsync());
        await PostAsync(store, "new");
        Assert.Equal(2, await store.ForgetAsync());
        Assert.Single(await store.ReadAsync("new"));
    }

    [Fact]
    public async Task Users_of_the_layout_before_hash_tags_are_moved_once_with_their_dates()
    {
        var db = connection!.GetDatabase();
        await db.ListRightPushAsync("funnel:events:dated", new UserEvent(UserEventKind.Search, 1_700_000_000, Query: "kept").Encode());
        await db.SortedSetAddAsync(RedisEventStore.UsersKey, "dated", 1_700_000_000);
        await db.ListRightPushAsync("funnel:events:undated", new UserEvent(UserEventKind.Search, 1_700_000_000, Query: "also kept").Encode());
        var store = new RedisEventStore(connection, new RetentionPolicy(1, null), clock);

        Assert.Equal(2, await store.MigrateLayoutAsync());
        Assert.Equal(0, await store.MigrateLayoutAsync());

        Assert.Equal("kept", Assert.Single(await store.ReadAsync("dated")).Query);
        Assert.Equal("also kept", Assert.Single(await store.ReadAsync("undated")).Query);
        Assert.False(await db.KeyExistsAsync("funnel:events:dated"));
        // The moved user keeps its date, so the bound still forgets the least recently active first.
        await PostAsync(store, "new");
        Assert.Equal(1, await store.ForgetAsync());
        Assert.Empty(await store.ReadAsync("dated"));
        Assert.Single(await store.ReadAsync("new"));
    }

    [Fact]
    public async Task In_a_shared_store_a_user_who_posts_through_another_process_after_being_picked_is_kept()
    {
        // Two processes on one store: the one forgetting holds no lock the other takes.
        var forgetting = new RedisEventStore(connection!, new RetentionPolicy(1, null), clock, options: new EventStoreOptions(Shared: true));
        var posting = new RedisEventStore(connection!, new RetentionPolicy(1, null), clock, options: new EventStoreOptions(Shared: true));
        await PostAsync(posting, "a");
        await PostAsync(posting, "b");
        var picked = await connection!.GetDatabase().SortedSetRangeByRankWithScoresAsync(RedisEventStore.UsersKey, 0, 0);
        Assert.Equal("a", (string?)picked.Single().Element);

        await PostAsync(posting, "a");

        Assert.Equal(0, await forgetting.ForgetUsersAsync(picked));
        Assert.Equal(2, (await forgetting.ReadAsync("a")).Count);
        Assert.Equal(1, await forgetting.ForgetAsync());
        Assert.Empty(await forgetting.ReadAsync("b"));
        Assert.Equal(1, await forgetting.CountUsersAsync());
    }

    [Fact]
    public async Task In_a_shared_store_an_index_date_that_is_not_the_users_own_is_corrected_before_anyone_is_forgotten()
    {
        // Processes with other clocks, their posts indexed in another order than they were dated.
        var store = new RedisEventStore(connection!, new RetentionPolicy(1, null), clock, options: new EventStoreOptions(Shared: true));
        await PostAsync(store, "a");
        await PostAsync(store, "b");
        await connection!.GetDatabase().SortedSetAddAsync(RedisEventStore.UsersKey, "b", 1);

        Assert.Equal(1, await store.ForgetAsync());

        Assert.Empty(await store.ReadAsync("a"));
        Assert.Single(await store.ReadAsync("b"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_forgotten_user_loses_the_stored_profile_with_the_events(bool shared)
    {
        var store = new RedisEventStore(connection!, new RetentionPolicy(1, null), clock, options: new EventStoreOptions(Shared: shared));
        var profile = new RecommendationContext(Region: "DE", Gender: "female", Age: 31);
        await store.SetProfileAsync("old", profile);
        await PostAsync(store, "old");
        await PostAsync(store, "new");

        Assert.Equal(profile, await store.ReadProfileAsync("old"));
        Assert.Equal(1, await store.ForgetAsync());

        Assert.Null(await store.ReadProfileAsync("old"));
        Assert.Empty(await store.ReadAsync("old"));
    }

    private async Task PostAsync(RedisEventStore store, string user)
    {
        clock.Advance(TimeSpan.FromSeconds(1));
        await store.AppendAsync(user, [new UserEvent(UserEventKind.Search, clock.GetUtcNow().ToUnixTimeSeconds(), Query: "q")]);
    }
}

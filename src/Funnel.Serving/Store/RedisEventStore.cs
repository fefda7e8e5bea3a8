using StackExchange.Redis;

namespace Funnel.Serving.Store;

/// <summary>
/// Users' events in Redis lists (one per user, <c>funnel:events:{user}</c>), through
/// StackExchange.Redis: the embedded Garnet by default, any Garnet or Redis server by configuration.
/// Each list keeps the user's last <see cref="MaxEventsPerUser"/> events, so the state of a user is
/// bounded. A store whose recovery failed (<paramref name="refusal"/>) refuses every read and write:
/// serving from a partial log, or appending after a point a restart will not replay, would lose or
/// hide acknowledged events.
/// </summary>
/// <param name="connection">The store's connection.</param>
/// <param name="refusal">Why the store must not be used, or null.</param>
public sealed class RedisEventStore(IConnectionMultiplexer connection, string? refusal = null) : IEventStore
{
    /// <summary>Events kept per user: the recent lists need 50 watches and 50 searches; the counters count over this window.</summary>
    public const int MaxEventsPerUser = 2_000;

    private readonly IDatabase database = connection.GetDatabase();

    /// <inheritdoc />
    public async Task AppendAsync(string userId, IReadOnlyList<UserEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }
        Refuse();
        var key = Key(userId);
        // Two single commands, never MULTI/EXEC: Garnet's append-only file records a transaction as a
        // start, its operations and a commit, and a kill -9 between them left a start without a commit
        // that stopped the replay of every later write on every restart (docs/serving.md). Each
        // command is atomic and committed before its reply; a crash between the two leaves at most one
        // batch beyond the cap, which the next append trims.
        var pushed = database.ListRightPushAsync(key, [.. events.Select(e => (RedisValue)e.Encode())]);
        var trimmed = database.ListTrimAsync(key, -MaxEventsPerUser, -1);
        await pushed.ConfigureAwait(false);
        await trimmed.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<UserEvent>> ReadAsync(string userId)
    {
        Refuse();
        var values = await database.ListRangeAsync(Key(userId)).ConfigureAwait(false);
        return [.. values.Select(v => UserEvent.Decode(v!))];
    }

    /// <inheritdoc />
    public async Task<bool> PingAsync()
    {
        if (refusal is not null)
        {
            return false;
        }
        try
        {
            await database.PingAsync().ConfigureAwait(false);
            return true;
        }
        catch (RedisException)
        {
            return false;
        }
    }

    private static RedisKey Key(string userId) => $"funnel:events:{userId}";

    private void Refuse()
    {
        if (refusal is not null)
        {
            throw new RedisException(refusal);
        }
    }
}

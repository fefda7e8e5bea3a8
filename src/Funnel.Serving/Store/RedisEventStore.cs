using StackExchange.Redis;

namespace Funnel.Serving.Store;

/// <summary>
/// Users' events in Redis lists (one per user, <c>funnel:events:{user}</c>), through
/// StackExchange.Redis: the embedded Garnet by default, any Garnet or Redis server by configuration.
/// Each list keeps the user's last <see cref="MaxEventsPerUser"/> events, so the state of a user is
/// bounded; an append and its trim are one transaction.
/// </summary>
public sealed class RedisEventStore(IConnectionMultiplexer connection) : IEventStore
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
        var key = Key(userId);
        var transaction = database.CreateTransaction();
        var pushed = transaction.ListRightPushAsync(key, [.. events.Select(e => (RedisValue)e.Encode())]);
        var trimmed = transaction.ListTrimAsync(key, -MaxEventsPerUser, -1);
        if (!await transaction.ExecuteAsync().ConfigureAwait(false))
        {
            throw new InvalidOperationException($"the store did not commit the events of user '{userId}'");
        }
        await pushed.ConfigureAwait(false);
        await trimmed.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<UserEvent>> ReadAsync(string userId)
    {
        var values = await database.ListRangeAsync(Key(userId)).ConfigureAwait(false);
        return [.. values.Select(v => UserEvent.Decode(v!))];
    }

    /// <inheritdoc />
    public async Task<bool> PingAsync()
    {
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
}

using StackExchange.Redis;

namespace Funnel.Serving.Store;

/// <summary>
/// Users' events in Redis lists (one per user, <c>funnel:events:{user}</c>), through
/// StackExchange.Redis: the embedded Garnet by default, any Garnet or Redis server by configuration.
/// Each list keeps the user's last <see cref="MaxEventsPerUser"/> events; a sorted set
/// (<c>funnel:users</c>, scored by the time of the user's last post) lets <see cref="ForgetAsync"/>
/// apply the <see cref="RetentionPolicy"/>. A store whose recovery failed (<paramref name="refusal"/>)
/// refuses every read and write: serving from a partial log, or appending after a point a restart
/// will not replay, would lose or hide acknowledged events.
/// </summary>
/// <param name="connection">The store's connection.</param>
/// <param name="retention">What the store keeps.</param>
/// <param name="time">The clock that dates users' activity.</param>
/// <param name="refusal">Why the store must not be used, or null.</param>
public sealed class RedisEventStore(IConnectionMultiplexer connection, RetentionPolicy retention, TimeProvider time, string? refusal = null) : IEventStore
{
    /// <summary>Events kept per user: the recent lists need 50 watches and 50 searches; the counters count over this window.</summary>
    public const int MaxEventsPerUser = 2_000;

    /// <summary>Users forgotten per round trip of <see cref="ForgetAsync"/>.</summary>
    private const int ForgetBatch = 512;

    internal static readonly RedisKey UsersKey = "funnel:users";

    private readonly IDatabase database = connection.GetDatabase();

    // Appends and forgetting take the user's stripe, so a user who posts while being forgotten either
    // is forgotten before the post (which then starts a new list) or is kept: an event acknowledged
    // after the user's last activity was read is never deleted. The stripes cover this process only.
    private double lastDate;

    private readonly SemaphoreSlim[] stripes = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    /// <inheritdoc />
    public async Task AppendAsync(string userId, IReadOnlyList<UserEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }
        Refuse();
        var key = Key(userId);
        var stripe = Stripe(userId);
        await stripe.WaitAsync().ConfigureAwait(false);
        try
        {
            // Single commands, never MULTI/EXEC: Garnet's append-only file records a transaction as a
            // start, its operations and a commit, and a kill -9 between them left a start without a
            // commit that stopped the replay of every later write on every restart (docs/serving.md).
            // Each command is atomic and committed before its reply. The user is dated first: a crash
            // before the push leaves a dated user with no events (harmless), never events no
            // retention can reach; a crash before the trim leaves one batch beyond the cap, which the
            // next append trims.
            var dated = database.SortedSetAddAsync(UsersKey, userId, NextDate());
            var pushed = database.ListRightPushAsync(key, [.. events.Select(e => (RedisValue)e.Encode())]);
            var trimmed = database.ListTrimAsync(key, -MaxEventsPerUser, -1);
            await dated.ConfigureAwait(false);
            await pushed.ConfigureAwait(false);
            await trimmed.ConfigureAwait(false);
        }
        finally
        {
            stripe.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<UserEvent>> ReadAsync(string userId)
    {
        Refuse();
        var values = await database.ListRangeAsync(Key(userId)).ConfigureAwait(false);
        return [.. values.Select(v => UserEvent.Decode(v!))];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<UserEvent>> ReadRecentAsync(string userId, int count)
    {
        Refuse();
        var values = await database.ListRangeAsync(Key(userId), -count, -1).ConfigureAwait(false);
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

    /// <summary>
    /// Applies the retention policy: forgets users idle for longer than it allows, then the least
    /// recently active beyond its user bound. Returns the users forgotten.
    /// </summary>
    public async Task<int> ForgetAsync()
    {
        Refuse();
        var forgotten = 0;
        if (retention.IdleAfter is { } idle)
        {
            var cutoff = Now() - idle.TotalSeconds;
            while (true)
            {
                var idleUsers = await database.SortedSetRangeByScoreWithScoresAsync(UsersKey, double.NegativeInfinity, cutoff, take: ForgetBatch).ConfigureAwait(false);
                var done = await ForgetUsersAsync(idleUsers).ConfigureAwait(false);
                forgotten += done;
                if (idleUsers.Length < ForgetBatch || done == 0)
                {
                    break;
                }
            }
        }
        while (true)
        {
            var excess = await database.SortedSetLengthAsync(UsersKey).ConfigureAwait(false) - retention.MaxUsers;
            if (excess <= 0)
            {
                break;
            }
            var oldest = await database.SortedSetRangeByRankWithScoresAsync(UsersKey, 0, Math.Min(excess, ForgetBatch) - 1).ConfigureAwait(false);
            var done = await ForgetUsersAsync(oldest).ConfigureAwait(false);
            forgotten += done;
            if (done == 0)
            {
                // Every one of them posted meanwhile: they are no longer the oldest; look again.
                continue;
            }
        }
        return forgotten;
    }

    /// <summary>
    /// Dates, as of now, every user whose events are stored but who has no date: a store written
    /// before users were dated would otherwise keep them beyond every bound. Runs once, when the
    /// store has no dated user at all; returns the users dated.
    /// </summary>
    public async Task<int> DateUndatedUsersAsync()
    {
        Refuse();
        if (await database.SortedSetLengthAsync(UsersKey).ConfigureAwait(false) > 0)
        {
            return 0;
        }
        var dated = 0;
        var prefix = Key("").ToString();
        foreach (var server in connection.GetServers().Where(s => !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(database.Database, prefix + "*", pageSize: ForgetBatch).ConfigureAwait(false))
            {
                if (await database.SortedSetAddAsync(UsersKey, key.ToString()[prefix.Length..], NextDate(), When.NotExists).ConfigureAwait(false))
                {
                    dated++;
                }
            }
        }
        return dated;
    }

    /// <summary>Users the store holds (dated by their last post).</summary>
    public async Task<long> CountUsersAsync()
    {
        Refuse();
        return await database.SortedSetLengthAsync(UsersKey).ConfigureAwait(false);
    }

    /// <summary>Forgets each user still dated as read (one who posted since is kept); returns how many went.</summary>
    internal async Task<int> ForgetUsersAsync(IEnumerable<SortedSetEntry> users)
    {
        var outcomes = await Task.WhenAll(users.Select(async user =>
        {
            var id = (string)user.Element!;
            var stripe = Stripe(id);
            await stripe.WaitAsync().ConfigureAwait(false);
            try
            {
                if (await database.SortedSetScoreAsync(UsersKey, user.Element).ConfigureAwait(false) != user.Score)
                {
                    return false;
                }
                // The list first: a crash between the two leaves a dated user with no events, whom
                // the next round forgets again.
                await database.KeyDeleteAsync(Key(id)).ConfigureAwait(false);
                await database.SortedSetRemoveAsync(UsersKey, user.Element).ConfigureAwait(false);
                return true;
            }
            finally
            {
                stripe.Release();
            }
        })).ConfigureAwait(false);
        return outcomes.Count(forgotten => forgotten);
    }

    private double Now() => time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>
    /// The clock's time, but later than every date this store gave before: two posts in one
    /// millisecond, or a clock stepped back, still give a user a new date, which is how forgetting
    /// tells that the user posted since it looked.
    /// </summary>
    private double NextDate()
    {
        while (true)
        {
            var last = Volatile.Read(ref lastDate);
            var next = Math.Max(Now(), Math.BitIncrement(last));
            if (Interlocked.CompareExchange(ref lastDate, next, last) == last)
            {
                return next;
            }
        }
    }

    private SemaphoreSlim Stripe(string userId) => stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(userId) % (uint)stripes.Length)];

    private static RedisKey Key(string userId) => $"funnel:events:{userId}";

    private void Refuse()
    {
        if (refusal is not null)
        {
            throw new RedisException(refusal);
        }
    }
}

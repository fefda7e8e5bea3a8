using System.Globalization;
using System.Text.Json;
using Funnel.Core;
using Funnel.Serving.Contracts;
using StackExchange.Redis;

namespace Funnel.Serving.Store;

/// <summary>
/// Users' events in Redis lists (one per user), through StackExchange.Redis: the embedded Garnet by
/// default, any Garnet or Redis server or cluster by configuration. A user's keys share one hash tag,
/// <c>funnel:user:{user}:events</c> (the list), <c>funnel:user:{user}:date</c> (the time of the
/// last post) and <c>funnel:user:{user}:profile</c> (a logged profile, from <c>--history</c>), so in a cluster a user's state lives in one slot and on one primary. Each list keeps
/// the user's last <see cref="MaxEventsPerUser"/> events; a sorted set (<c>funnel:users</c>, the same
/// dates) indexes users by activity so <see cref="ForgetAsync"/> can apply the
/// <see cref="RetentionPolicy"/>. A store whose recovery failed (<paramref name="refusal"/>) refuses
/// every read and write: serving from a partial log, or appending after a point a restart will not
/// replay, would lose or hide acknowledged events.
/// </summary>
/// <param name="connection">The store's connection.</param>
/// <param name="retention">What the store keeps.</param>
/// <param name="time">The clock that dates users' activity.</param>
/// <param name="refusal">Why the store must not be used, or null.</param>
/// <param name="options">Whether other processes share the store, and when an append counts as stored (null: <see cref="EventStoreOptions.Embedded"/>).</param>
public sealed class RedisEventStore(IConnectionMultiplexer connection, RetentionPolicy retention, TimeProvider time, string? refusal = null, EventStoreOptions? options = null) : IEventStore
{
    /// <summary>Events kept per user: the recent lists need 50 watches and 50 searches; the counters count over this window.</summary>
    public const int MaxEventsPerUser = 2_000;

    /// <summary>Users forgotten per round trip of <see cref="ForgetAsync"/>.</summary>
    private const int ForgetBatch = 512;

    /// <summary>Looks at the oldest users in a row that forget none before a round gives up until the next.</summary>
    private const int MaxStalls = 3;

    internal static readonly RedisKey UsersKey = "funnel:users";

    private readonly IDatabase database = connection.GetDatabase();

    private readonly EventStoreOptions mode = options ?? EventStoreOptions.Embedded;

    // Appends and forgetting take the user's stripe, so a user who posts while being forgotten either
    // is forgotten before the post (which then starts a new list) or is kept: an event acknowledged
    // after the user's last activity was read is never deleted. The stripes cover this process only;
    // a shared store conditions the forgetting on the user's date in the store (ForgetSharedAsync).
    private double lastDate;

    private readonly SemaphoreSlim[] stripes = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>How long a batch id is remembered: far longer than a load balancer's or a client's retries take.</summary>
    public static readonly TimeSpan BatchMemory = TimeSpan.FromMinutes(10);

    /// <inheritdoc />
    public async Task<bool> AppendAsync(string userId, IReadOnlyList<UserEvent> events, string? batchId = null)
    {
        if (events.Count == 0)
        {
            return false;
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
            //
            // A retried batch: its events are stored (its marker is written after them, on the same
            // connection). Waiting for a replica again covers them: the marker is rewritten and a
            // replica of this primary reaches it only past the events.
            if (batchId is not null && await database.KeyExistsAsync(BatchKey(userId, batchId)).ConfigureAwait(false))
            {
                if (mode.Acknowledgement == Acknowledgement.Replica)
                {
                    await WriteAndWaitForReplicaAsync(userId, [], batchId).ConfigureAwait(false);
                }
                return false;
            }
            // The user's own date goes to the user's slot before the push on the same connection, so
            // it is there whenever the events are. The index may sit on another node of a cluster,
            // where nothing orders it before the push: a shared store waits for it first.
            var date = NextDate();
            var indexed = database.SortedSetAddAsync(UsersKey, userId, date);
            if (mode.Shared)
            {
                await indexed.ConfigureAwait(false);
            }
            if (mode.Acknowledgement == Acknowledgement.Replica)
            {
                await WriteAndWaitForReplicaAsync(userId, [("SET", [DateKey(userId), Format(date)]), ("RPUSH", [key, .. events.Select(e => e.Encode())]), ("LTRIM", [key, -MaxEventsPerUser, -1])], batchId).ConfigureAwait(false);
            }
            else
            {
                var dated = database.StringSetAsync(DateKey(userId), Format(date));
                var pushed = database.ListRightPushAsync(key, [.. events.Select(e => (RedisValue)e.Encode())]);
                var trimmed = database.ListTrimAsync(key, -MaxEventsPerUser, -1);
                var marked = batchId is null ? Task.CompletedTask : database.StringSetAsync(BatchKey(userId, batchId), 1, BatchMemory);
                await dated.ConfigureAwait(false);
                await pushed.ConfigureAwait(false);
                await trimmed.ConfigureAwait(false);
                await marked.ConfigureAwait(false);
            }
            await indexed.ConfigureAwait(false);
            return true;
        }
        finally
        {
            stripe.Release();
        }
    }

    /// <summary>
    /// The user's <paramref name="writes"/> and the batch's marker, then <c>WAIT 1</c>, pipelined on
    /// the connection to the primary that holds the user's slot as this process sees it, each refusing
    /// a redirect: <c>WAIT</c> counts the replicas that have every write its connection sent, so the
    /// writes must have gone to exactly that node. A node that no longer holds the slot answers MOVED,
    /// and the append fails unconfirmed.
    /// </summary>
    private async Task WriteAndWaitForReplicaAsync(string userId, IReadOnlyList<(string Command, object[] Arguments)> writes, string? batchId)
    {
        var primary = connection.GetServer(Key(userId), flags: CommandFlags.DemandMaster);
        const CommandFlags Here = CommandFlags.DemandMaster | CommandFlags.NoRedirect;
        var sent = writes.Select(w => primary.ExecuteAsync(w.Command, w.Arguments, Here)).ToList();
        if (batchId is not null)
        {
            sent.Add(primary.ExecuteAsync("SET", [BatchKey(userId, batchId), 1, "EX", (long)BatchMemory.TotalSeconds], Here));
        }
        var waited = primary.ExecuteAsync("WAIT", [1, mode.ReplicaTimeoutMilliseconds], Here);
        foreach (var write in sent)
        {
            await write.ConfigureAwait(false);
        }
        if ((long)await waited.ConfigureAwait(false) < 1)
        {
            throw new ReplicaNotConfirmedException($"the primary {primary.EndPoint} has the events, but no replica confirmed them within {mode.ReplicaTimeoutMilliseconds} ms");
        }
    }

    /// <summary>
    /// Checks, when appends wait for a replica, that every primary knows <c>WAIT</c> (Garnet 2.2.8
    /// does not): better to refuse to start than to refuse every append.
    /// </summary>
    public async Task CheckAcknowledgementAsync()
    {
        if (mode.Acknowledgement != Acknowledgement.Replica)
        {
            return;
        }
        foreach (var primary in Primaries())
        {
            try
            {
                await primary.ExecuteAsync("WAIT", 0, 0).ConfigureAwait(false);
            }
            catch (RedisServerException error)
            {
                throw new InvalidOperationException($"--acknowledge replica: the store at {primary.EndPoint} cannot wait for its replicas ({error.Message}; Garnet has no WAIT): use --acknowledge primary, or a Redis Cluster");
            }
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
    public async Task SetProfileAsync(string userId, RecommendationContext profile)
    {
        Refuse();
        await database.StringSetAsync(ProfileKey(userId), JsonSerializer.Serialize(profile, FunnelJson.Api)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RecommendationContext?> ReadProfileAsync(string userId)
    {
        Refuse();
        var stored = await database.StringGetAsync(ProfileKey(userId)).ConfigureAwait(false);
        if (stored.IsNull)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<RecommendationContext>(stored.ToString(), FunnelJson.Api);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{ProfileKey(userId)}: not a stored profile ({error.Message})", error);
        }
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
        var stalls = 0;
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
            // None forgotten: every one of them posted meanwhile (or was re-dated), so they are no
            // longer the oldest; look again, but leave users posting without pause to the next round.
            stalls = done == 0 ? stalls + 1 : 0;
            if (stalls == MaxStalls)
            {
                break;
            }
        }
        return forgotten;
    }

    /// <summary>
    /// Moves users stored under the layout before hash tags (<c>funnel:events:{user}</c> without
    /// braces) to theirs, each with its index date as its own: one <c>RENAME</c> a user, so a crash
    /// leaves every user in one layout or the other and the next start moves the rest. Runs before
    /// the service answers; returns the users moved. (A cluster cannot rename across slots: a
    /// store of the old layout is moved on one node, before it is clustered.)
    /// </summary>
    public async Task<int> MigrateLayoutAsync()
    {
        Refuse();
        var moved = 0;
        foreach (var server in Primaries())
        {
            await foreach (var key in server.KeysAsync(database.Database, OldPrefix + "*", pageSize: ForgetBatch).ConfigureAwait(false))
            {
                var id = key.ToString()[OldPrefix.Length..];
                if (await database.SortedSetScoreAsync(UsersKey, id).ConfigureAwait(false) is { } date)
                {
                    await database.StringSetAsync(DateKey(id), Format(date)).ConfigureAwait(false);
                }
                if (await database.KeyRenameAsync(key, Key(id), When.NotExists).ConfigureAwait(false))
                {
                    moved++;
                }
            }
        }
        return moved;
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
        foreach (var server in Primaries())
        {
            await foreach (var key in server.KeysAsync(database.Database, $"{UserPrefix}*{EventsSuffix}", pageSize: ForgetBatch).ConfigureAwait(false))
            {
                var name = key.ToString();
                var id = name[UserPrefix.Length..^EventsSuffix.Length];
                var date = NextDate();
                await database.StringSetAsync(DateKey(id), Format(date), when: When.NotExists).ConfigureAwait(false);
                if (await database.SortedSetAddAsync(UsersKey, id, date, When.NotExists).ConfigureAwait(false))
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
                return mode.Shared ? await ForgetSharedAsync(id, user.Score).ConfigureAwait(false) : await ForgetOwnAsync(id, user.Score).ConfigureAwait(false);
            }
            finally
            {
                stripe.Release();
            }
        })).ConfigureAwait(false);
        return outcomes.Count(forgotten => forgotten);
    }

    /// <summary>This process alone writes the store, and holds the user's stripe: the index's date is the user's.</summary>
    private async Task<bool> ForgetOwnAsync(string id, double read)
    {
        if (await database.SortedSetScoreAsync(UsersKey, id).ConfigureAwait(false) != read)
        {
            return false;
        }
        // The list first: a crash between them leaves a dated user with no events, whom the next
        // round forgets again.
        await database.KeyDeleteAsync(Key(id)).ConfigureAwait(false);
        await database.KeyDeleteAsync(ProfileKey(id)).ConfigureAwait(false);
        await database.KeyDeleteAsync(DateKey(id)).ConfigureAwait(false);
        await database.SortedSetRemoveAsync(UsersKey, id).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Another process may post for the user meanwhile: the user's list goes only in a transaction
    /// on the user's slot that sees the user's own date unchanged (a post changes it first), and the
    /// index entry only if its date is still the one read. An index whose date differs from the
    /// user's own (posts from processes with other clocks, indexed in another order) takes the user's.
    /// </summary>
    private async Task<bool> ForgetSharedAsync(string id, double read)
    {
        var own = await database.StringGetAsync(DateKey(id)).ConfigureAwait(false);
        if (own.IsNull)
        {
            // Forgotten by another process, or dated in the index by a post whose own date is not
            // written yet: only an index entry without events may go.
            return !await database.KeyExistsAsync(Key(id)).ConfigureAwait(false) && await RemoveFromIndexAsync(id, read).ConfigureAwait(false);
        }
        if (own != Format(read))
        {
            await database.SortedSetAddAsync(UsersKey, id, double.Parse(own.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture), When.Exists).ConfigureAwait(false);
            return false;
        }
        var forget = database.CreateTransaction();
        forget.AddCondition(Condition.StringEqual(DateKey(id), own));
        _ = forget.KeyDeleteAsync(Key(id));
        _ = forget.KeyDeleteAsync(ProfileKey(id));
        _ = forget.KeyDeleteAsync(DateKey(id));
        if (!await forget.ExecuteAsync().ConfigureAwait(false))
        {
            return false;
        }
        // A post after the transaction re-dated the entry, which then stays, as it should.
        await RemoveFromIndexAsync(id, read).ConfigureAwait(false);
        return true;
    }

    /// <summary>Removes the user's index entry if its date is still <paramref name="read"/>.</summary>
    private async Task<bool> RemoveFromIndexAsync(string id, double read)
    {
        var remove = database.CreateTransaction();
        remove.AddCondition(Condition.SortedSetEqual(UsersKey, id, read));
        _ = remove.SortedSetRemoveAsync(UsersKey, id);
        return await remove.ExecuteAsync().ConfigureAwait(false);
    }

    private IEnumerable<IServer> Primaries() => connection.GetServers().Where(s => !s.IsReplica);


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

    private const string UserPrefix = "funnel:user:{";

    private const string EventsSuffix = "}:events";

    private const string OldPrefix = "funnel:events:";

    /// <summary>The user's event list; the braces make the user id the hash tag.</summary>
    internal static RedisKey Key(string userId) => UserPrefix + userId + EventsSuffix;

    /// <summary>The marker of a stored batch, in the user's slot.</summary>
    private static RedisKey BatchKey(string userId, string batchId) => UserPrefix + userId + "}:batch:" + batchId;

    /// <summary>The user's logged profile, in the user's slot.</summary>
    private static RedisKey ProfileKey(string userId) => UserPrefix + userId + "}:profile";

    /// <summary>The time of the user's last post, in the user's slot.</summary>
    private static RedisKey DateKey(string userId) => UserPrefix + userId + "}:date";

    private static string Format(double date) => date.ToString("R", CultureInfo.InvariantCulture);

    private void Refuse()
    {
        if (refusal is not null)
        {
            throw new RedisException(refusal);
        }
    }
}

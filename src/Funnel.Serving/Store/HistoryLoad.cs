using System.Diagnostics;
using Funnel.Data.Model;
using Funnel.Data.Storage;

namespace Funnel.Serving.Store;

/// <summary>How far a bulk load has got.</summary>
/// <param name="Users">Users of the dataset done (loaded, kept or without events).</param>
/// <param name="TotalUsers">Users the dataset holds.</param>
/// <param name="Events">Events stored so far.</param>
/// <param name="Elapsed">Time since the load started.</param>
public sealed record HistoryLoadProgress(int Users, int TotalUsers, long Events, TimeSpan Elapsed)
{
    /// <summary>Events stored per second so far.</summary>
    public double EventsPerSecond => Elapsed.TotalSeconds > 0 ? Events / Elapsed.TotalSeconds : 0;
}

/// <summary>What a bulk load stored.</summary>
/// <param name="LoadedUsers">Users whose events were stored.</param>
/// <param name="KeptUsers">Users the store already held events for, left as they were.</param>
/// <param name="Events">Events stored.</param>
/// <param name="UnknownVideoEvents">Events skipped because the model's catalogue does not hold their video (the API refuses those too).</param>
/// <param name="TrimmedEvents">Events older than a user's last <see cref="RedisEventStore.MaxEventsPerUser"/>, which the store would not keep.</param>
/// <param name="Elapsed">How long the load took.</param>
public sealed record HistoryLoadResult(int LoadedUsers, int KeptUsers, long Events, long UnknownVideoEvents, long TrimmedEvents, TimeSpan Elapsed)
{
    /// <summary>Events stored per second.</summary>
    public double EventsPerSecond => Elapsed.TotalSeconds > 0 ? Events / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// <c>funnel serve --history DATA</c>: a dataset's watches, searches and impressions written into the
/// event store before the service takes traffic, so the service knows every logged user as
/// <c>funnel recommend</c> does, with each user's logged profile (device, region, language, gender,
/// age) stored as the default context of their requests. The tables are read once, in their (user, time) order, and many
/// users' appends are in flight at once (the connection pipelines them). A user the store already
/// holds events for is left as it is, so a restart with the same <c>--history</c> stores nothing twice
/// and never overwrites events posted since. Live co-visits are not counted: the model's tables were
/// counted from these logs already.
/// </summary>
public static class HistoryLoad
{
    /// <summary>Users' appends in flight at once.</summary>
    private const int InFlight = 64;

    /// <summary>How often progress is reported.</summary>
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(1);

    /// <summary>Writes <paramref name="dataset"/>'s events into <paramref name="store"/>.</summary>
    /// <param name="dataset">The logs.</param>
    /// <param name="store">The service's event store.</param>
    /// <param name="knownVideo">Whether the served model knows a video id; events of other videos are skipped and counted.</param>
    /// <param name="progress">Called about once a second and at the end.</param>
    /// <param name="cancellation">Stops between users (a user is stored whole or not at all).</param>
    public static async Task<HistoryLoadResult> RunAsync(Dataset dataset, IEventStore store, Func<string, bool> knownVideo, Action<HistoryLoadProgress>? progress = null, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        long events = 0, unknown = 0, trimmed = 0;
        int done = 0, loaded = 0, kept = 0;
        var reported = TimeSpan.Zero;
        var gate = new object();
        void Report(bool force)
        {
            lock (gate)
            {
                if (force || clock.Elapsed - reported >= ProgressEvery)
                {
                    reported = clock.Elapsed;
                    progress?.Invoke(new HistoryLoadProgress(Volatile.Read(ref done), dataset.Users.Count, Interlocked.Read(ref events), clock.Elapsed));
                }
            }
        }
        var options = new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellation };
        await Parallel.ForEachAsync(UsersAsync(dataset, cancellation), options, async (log, _) =>
        {
            var all = LoggedEvents.Before(dataset.Videos, log.Watches, log.Searches, log.Impressions, long.MaxValue);
            var known = all.Where(e => e.Kind == UserEventKind.Search || knownVideo(e.VideoId)).ToList();
            var recent = known.Skip(Math.Max(0, known.Count - RedisEventStore.MaxEventsPerUser)).ToList();
            var id = dataset.Users[log.User].Id;
            if (recent.Count > 0)
            {
                if ((await store.ReadRecentAsync(id, 1).ConfigureAwait(false)).Count > 0)
                {
                    Interlocked.Increment(ref kept);
                }
                else
                {
                    // The profile first: a crash between the two leaves a user without events, whom the next load loads again.
                    var profile = ProfileContext.Of(dataset.Users[log.User]);
                    if (!ProfileContext.IsEmpty(profile))
                    {
                        await store.SetProfileAsync(id, profile).ConfigureAwait(false);
                    }
                    await store.AppendAsync(id, recent).ConfigureAwait(false);
                    Interlocked.Increment(ref loaded);
                    Interlocked.Add(ref events, recent.Count);
                    Interlocked.Add(ref unknown, all.Count - known.Count);
                    Interlocked.Add(ref trimmed, known.Count - recent.Count);
                }
            }
            Interlocked.Increment(ref done);
            Report(force: false);
        }).ConfigureAwait(false);
        // Users without events were passed over by the table reads: done too.
        Volatile.Write(ref done, dataset.Users.Count);
        Report(force: true);
        return new HistoryLoadResult(loaded, kept, events, unknown, trimmed, clock.Elapsed);
    }

    /// <summary>One user's rows of the three event tables.</summary>
    private sealed record UserRows(int User, List<Watch> Watches, List<Search> Searches, List<Impression> Impressions);

    /// <summary>Each user with events, in user order, from one pass over each table (all three are sorted by user, then time).</summary>
    private static async IAsyncEnumerable<UserRows> UsersAsync(Dataset dataset, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        await using var watches = new TableCursor<Watch>(dataset.ReadWatchesAsync(cancellation), w => w.User);
        await using var searches = new TableCursor<Search>(dataset.ReadSearchesAsync(cancellation), s => s.User);
        await using var impressions = new TableCursor<Impression>(dataset.ReadImpressionsAsync(cancellation), m => m.User);
        while (true)
        {
            var user = Math.Min(Math.Min(await watches.NextUserAsync().ConfigureAwait(false), await searches.NextUserAsync().ConfigureAwait(false)), await impressions.NextUserAsync().ConfigureAwait(false));
            if (user == int.MaxValue)
            {
                yield break;
            }
            yield return new UserRows(user, await watches.TakeAsync(user).ConfigureAwait(false), await searches.TakeAsync(user).ConfigureAwait(false), await impressions.TakeAsync(user).ConfigureAwait(false));
        }
    }

    /// <summary>Reads a table sorted by user a row at a time, handing out one user's rows at once.</summary>
    private sealed class TableCursor<T>(IAsyncEnumerable<T[]> groups, Func<T, int> userOf) : IAsyncDisposable
    {
        private readonly IAsyncEnumerator<T[]> enumerator = groups.GetAsyncEnumerator();
        private T[] group = [];
        private int position;
        private bool ended;

        /// <summary>The user of the next row, or <see cref="int.MaxValue"/> at the end.</summary>
        public async Task<int> NextUserAsync()
        {
            while (!ended && position >= group.Length)
            {
                if (await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    group = enumerator.Current;
                    position = 0;
                }
                else
                {
                    ended = true;
                }
            }
            return ended ? int.MaxValue : userOf(group[position]);
        }

        /// <summary>The rows of <paramref name="user"/> from here on (none when the next row is a later user's).</summary>
        public async Task<List<T>> TakeAsync(int user)
        {
            var rows = new List<T>();
            while (await NextUserAsync().ConfigureAwait(false) == user)
            {
                rows.Add(group[position++]);
            }
            return rows;
        }

        public ValueTask DisposeAsync() => enumerator.DisposeAsync();
    }
}

using Funnel.Serving.Recommendations;
using Funnel.Serving.Store;
using StackExchange.Redis;

namespace Funnel.Serving;

/// <summary>How the service runs.</summary>
/// <param name="ModelFolder">The model folder served at start (candidates, index, ranker, catalogue).</param>
/// <param name="Store">"embedded" (a Garnet inside the process) or a StackExchange.Redis connection string ("redis://host:port" and "unix:///path/to/socket" are accepted too).</param>
/// <param name="StoreFolder">Where the embedded store keeps its append-only file.</param>
/// <param name="ApiKey">The key POST /admin/models/reload requires (X-Api-Key header); null disables reloads.</param>
/// <param name="Sources">Which candidate sources run and how many each nominates per request (null: <see cref="CandidateSources"/>' defaults).</param>
/// <param name="MaxBodyBytes">Largest request body accepted.</param>
/// <param name="IngestKey">The key POST /v1/events requires (X-Ingest-Key header); null accepts events from any client that can reach the service.</param>
/// <param name="MaxUsers">Users the store keeps: beyond it, the least recently active are forgotten (each keeps its last 2,000 events).</param>
/// <param name="IdleDays">Days a user may post nothing before being forgotten; 0 keeps idle users.</param>
/// <param name="StoreLogMegabytes">How large the embedded store's append-only file may grow before a checkpoint replaces it (bounding its disk and the replay at restart).</param>
/// <param name="LiveCoVisits">Count co-visits from posted watches and add them to the model's tables (<see cref="CoVisitStore"/>); off, the tables alone serve (a simulation that posts many users' events at once turns it off to stay repeatable).</param>
/// <param name="Acknowledge">When an event batch counts as stored: once the primary has it, or once a replica has it too (an external store with replicas only).</param>
/// <param name="FixedTime">The service's clock stands at this Unix second: requests and events that carry no time, and uploads without one, get it (replays of a log that ended earlier, so that scores do not drift with the wall clock); null: the system clock.</param>
/// <param name="RequestsPerSecondPerClient">Requests one client address may make per second (a token bucket of that size); beyond it 429 with Retry-After; 0 turns the limit off. Health, readiness and metrics are not limited.</param>
public sealed record ServiceOptions(
    string ModelFolder,
    string Store = ServiceOptions.Embedded,
    string StoreFolder = "funnel-state",
    string? ApiKey = null,
    CandidateSources? Sources = null,
    int MaxBodyBytes = 1 << 20,
    string? IngestKey = null,
    int RequestsPerSecondPerClient = 1_000,
    int MaxUsers = 100_000,
    int IdleDays = 365,
    long StoreLogMegabytes = ServiceOptions.DefaultStoreLogMegabytes,
    bool LiveCoVisits = true,
    Acknowledgement Acknowledge = Acknowledgement.Primary,
    long? FixedTime = null)
{
    /// <summary>The service's clock in Unix seconds: <see cref="FixedTime"/>, else the system's.</summary>
    public long Now() => FixedTime ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>The default of <see cref="StoreLogMegabytes"/>: a restart replays it in about 3 s here.</summary>
    public const long DefaultStoreLogMegabytes = 256;

    /// <summary>The candidate sources that run: <see cref="Sources"/> or the defaults.</summary>
    public CandidateSources CandidateSources => Sources ?? new CandidateSources();

    /// <summary>The store's retention, from <see cref="MaxUsers"/> and <see cref="IdleDays"/>.</summary>
    public RetentionPolicy Retention => new(MaxUsers, IdleDays > 0 ? TimeSpan.FromDays(IdleDays) : null);

    /// <summary>The embedded store's name in <see cref="Store"/>.</summary>
    public const string Embedded = "embedded";

    /// <summary>Most events in one POST /v1/events.</summary>
    public const int MaxEventsPerRequest = 1_000;

    /// <summary>The earliest time a request or event may carry: 1990-01-01 (MovieLens 100K's logs start in 1997).</summary>
    public const long EarliestTime = 631_152_000;

    /// <summary>The latest time a request or event may carry: 2200-01-01, far past any log and far from overflowing a date.</summary>
    public const long LatestTime = 7_258_118_400;

    /// <summary>Slate length when a request names none.</summary>
    public const int DefaultK = 20;

    /// <summary>Largest k, and most excluded ids, of one request.</summary>
    public const int MaxK = 1_000;

    /// <summary>How the event store is written: shared with other processes when external.</summary>
    public EventStoreOptions EventStore => Store == Embedded
        ? (Acknowledge == Acknowledgement.Primary ? EventStoreOptions.Embedded : throw new ArgumentException("acknowledging after a replica needs a store with replicas (--store redis://HOST:PORT,...); the embedded store has none"))
        : new EventStoreOptions(Shared: true, Acknowledge);

    /// <summary>The StackExchange.Redis configuration of an external store address (a new one each time: a connection keeps what it is given).</summary>
    public ConfigurationOptions RedisConfiguration => StoreAddress.Options(Store);
}

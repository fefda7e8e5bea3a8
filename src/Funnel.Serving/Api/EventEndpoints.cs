using Funnel.Core;
using Funnel.Data.Model;
using Funnel.Serving.Contracts;
using Funnel.Serving.Models;
using Funnel.Serving.State;
using Funnel.Serving.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace Funnel.Serving.Api;

/// <summary>
/// POST /v1/events: a user's watches, searches and impressions. The batch is validated whole
/// (unknown videos, missing fields, bad numbers are refused before anything is written) and
/// acknowledged only after the store has made it durable.
/// </summary>
public static class EventEndpoints
{
    /// <summary>The header carrying the ingestion key, when the service requires one.</summary>
    public const string IngestKeyHeader = "X-Ingest-Key";

    /// <summary>
    /// The header naming a batch so that it is stored once however often it is sent (for
    /// <see cref="RedisEventStore.BatchMemory"/>): a client or a load balancer may then retry a batch
    /// whose answer it did not get.
    /// </summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Longest Idempotency-Key accepted.</summary>
    public const int MaxIdempotencyKeyLength = 128;

    private const string Endpoint = "events";

    /// <summary>Maps the endpoint.</summary>
    public static void Map(WebApplication app) =>
        app.MapPost("/v1/events", IngestAsync)
            .WithName("Events")
            .WithTags(OpenApiTags.Events)
            .WithSummary("Record a user's watches, searches and impressions")
            .Accepts<EventBatch>("application/json")
            .Produces<EventsAccepted>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>Events read back to find the user's watches before a batch (the co-visit window is 5 watches among their searches and impressions).</summary>
    private const int EarlierEvents = 100;

    private static async Task<IResult> IngestAsync(HttpRequest http, ModelHolder models, IEventStore store, FreshUploads uploads, CoVisitStore coVisits, ServiceOptions options, CancellationToken cancellation)
    {
        if (options.IngestKey is { } key && KeyCheck.Refusal(http, IngestKeyHeader, key) is { } refused)
        {
            return Count(refused.Result, refused.Status);
        }
        var batchId = http.Headers[IdempotencyKeyHeader].ToString();
        if (batchId.Length > MaxIdempotencyKeyLength || batchId.Any(c => c is < '!' or > '~'))
        {
            return Count(Problems.BadRequest($"{IdempotencyKeyHeader}: 1 to {MaxIdempotencyKeyLength} visible ASCII characters"), StatusCodes.Status400BadRequest);
        }
        EventBatch? batch;
        try
        {
            batch = await JsonBody.ReadAsync<EventBatch>(http, options.MaxBodyBytes, cancellation);
        }
        catch (BadRequestBodyException error)
        {
            return Count(Problems.Body(error), error.Status);
        }
        List<UserEvent> events;
        bool countCoVisits;
        string coVisitsTable;
        using (var lease = models.Acquire())
        {
            if (lease is null)
            {
                return Count(Problems.Unavailable("no model is loaded to check video ids against"), StatusCodes.Status503ServiceUnavailable);
            }
            var (parsed, invalid) = Parse(batch, lease.Model, options.Now(), uploads.Videos);
            if (invalid is not null)
            {
                return Count(Problems.BadRequest(invalid), StatusCodes.Status400BadRequest);
            }
            events = parsed!;
            // Live co-visits add to the model's tables, so they are counted where the model has them.
            countCoVisits = options.LiveCoVisits && lease.Model.Sources.WatchCounts.Count > 0 && events.Any(e => e.Kind == UserEventKind.Watch);
            coVisitsTable = lease.Model.CoVisitsTable;
        }
        var earlier = countCoVisits ? await EarlierWatchesAsync(store, batch!.UserId!) : null;
        bool stored;
        try
        {
            stored = await store.AppendAsync(batch!.UserId!, events, batchId.Length > 0 ? batchId : null);
        }
        catch (RedisTimeoutException error)
        {
            ServiceMetrics.Errors.WithLabels(Endpoint).Inc();
            return Count(Problems.Unavailable($"the store did not confirm the events in time (they may or may not be stored): {error.Message}"), StatusCodes.Status503ServiceUnavailable);
        }
        catch (ReplicaNotConfirmedException error)
        {
            ServiceMetrics.Errors.WithLabels(Endpoint).Inc();
            return Count(Problems.Unavailable($"the events are not confirmed stored (a failover may lose them; a retry may store them twice): {error.Message}"), StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception error) when (error is RedisException or InvalidOperationException)
        {
            ServiceMetrics.Errors.WithLabels(Endpoint).Inc();
            return Count(Problems.Unavailable($"the events were not stored: {error.Message}"), StatusCodes.Status503ServiceUnavailable);
        }
        if (!stored)
        {
            return Count(Results.Json(new EventsAccepted(events.Count, Replayed: true), FunnelJson.Api), StatusCodes.Status200OK);
        }
        foreach (var e in events)
        {
            ServiceMetrics.Events.WithLabels(e.Kind.ToString().ToLowerInvariant()).Inc();
        }
        if (earlier is not null)
        {
            await CountCoVisitsAsync(coVisits, coVisitsTable, earlier, events);
        }
        return Count(Results.Json(new EventsAccepted(events.Count), FunnelJson.Api), StatusCodes.Status200OK);
    }

    /// <summary>The user's stored watches before this batch, oldest first, or null when they cannot be read (the batch's co-visits are then not counted).</summary>
    private static async Task<List<string>?> EarlierWatchesAsync(IEventStore store, string userId)
    {
        try
        {
            var recent = await store.ReadRecentAsync(userId, EarlierEvents);
            return UserEvent.WatchedInTimeOrder(recent);
        }
        catch (Exception error) when (error is RedisException or RedisTimeoutException or InvalidOperationException or InvalidDataException)
        {
            ServiceMetrics.Errors.WithLabels(CoVisitStore.MetricsEndpoint).Inc();
            return null;
        }
    }

    /// <summary>
    /// Adds the stored batch's watches to the live co-visits. The events are acknowledged whether or
    /// not this succeeds: they are stored, and a client retrying would store them twice; a count
    /// missed is a statistic a little low, counted in <c>funnel_errors_total{endpoint="covisits"}</c>.
    /// </summary>
    private static async Task CountCoVisitsAsync(CoVisitStore coVisits, string table, List<string> earlier, List<UserEvent> events)
    {
        try
        {
            await coVisits.RecordAsync(table, earlier, UserEvent.WatchedInTimeOrder(events));
        }
        catch (Exception error) when (error is RedisException or RedisTimeoutException)
        {
            ServiceMetrics.Errors.WithLabels(CoVisitStore.MetricsEndpoint).Inc();
        }
    }

    /// <summary>The batch as stored events, or the first problem found (naming the event and field).</summary>
    internal static (List<UserEvent>? Events, string? Problem) Parse(EventBatch? batch, ServingModel model, long now, IReadOnlyDictionary<string, Video>? uploads = null)
    {
        if (batch is null)
        {
            return (null, "the body must be a JSON object with \"userId\" and \"events\"");
        }
        if (string.IsNullOrWhiteSpace(batch.UserId) || batch.UserId.Length > 256)
        {
            return (null, "userId: required, 1 to 256 characters");
        }
        if (batch.Events is null || batch.Events.Count is 0 or > ServiceOptions.MaxEventsPerRequest)
        {
            return (null, $"events: 1 to {ServiceOptions.MaxEventsPerRequest} events required, got {batch.Events?.Count ?? 0}");
        }
        var events = new List<UserEvent>(batch.Events.Count);
        for (var i = 0; i < batch.Events.Count; i++)
        {
            var e = batch.Events[i];
            var at = $"events[{i}]";
            if (e is null)
            {
                return (null, $"{at}: must be an object");
            }
            if (e.Time is < ServiceOptions.EarliestTime or > ServiceOptions.LatestTime)
            {
                return (null, $"{at}.time: must be Unix seconds from {ServiceOptions.EarliestTime} (1990) to {ServiceOptions.LatestTime} (2200), got {e.Time}");
            }
            var time = e.Time ?? now;
            switch (e.Type)
            {
                case "watch":
                    if (VideoProblem(e.VideoId, model, uploads, at) is { } watchProblem)
                    {
                        return (null, watchProblem);
                    }
                    if (e.WatchSeconds is not { } seconds || !double.IsFinite(seconds) || seconds < 0 || seconds > 86_400)
                    {
                        return (null, $"{at}.watchSeconds: required for a watch, 0 to 86,400 seconds, got {e.WatchSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"}");
                    }
                    events.Add(new UserEvent(UserEventKind.Watch, time, e.VideoId!, (float)seconds));
                    break;
                case "search":
                    if (string.IsNullOrWhiteSpace(e.Query) || e.Query.Length > 1_000)
                    {
                        return (null, $"{at}.query: required for a search, 1 to 1,000 characters");
                    }
                    events.Add(new UserEvent(UserEventKind.Search, time, Query: e.Query));
                    break;
                case "impression":
                    if (VideoProblem(e.VideoId, model, uploads, at) is { } impressionProblem)
                    {
                        return (null, impressionProblem);
                    }
                    if (e.Position is not { } position || position is < 0 or >= ServiceOptions.MaxK || e.Clicked is not { } clicked)
                    {
                        return (null, $"{at}: an impression needs \"position\" (0 to {ServiceOptions.MaxK - 1}) and \"clicked\"");
                    }
                    events.Add(new UserEvent(UserEventKind.Impression, time, e.VideoId!, Position: position, Clicked: clicked));
                    break;
                default:
                    return (null, $"{at}.type: expected watch, search or impression, got {(e.Type is null ? "nothing" : $"'{e.Type}'")}");
            }
        }
        return (events, null);
    }

    // A video is known from the model's catalogue or from the uploads added since (POST /admin/videos).
    private static string? VideoProblem(string? videoId, ServingModel model, IReadOnlyDictionary<string, Video>? uploads, string at) =>
        string.IsNullOrEmpty(videoId) ? $"{at}.videoId: required"
        : model.Catalogue.Contains(videoId) || uploads?.ContainsKey(videoId) == true ? null
        : $"{at}.videoId: unknown video '{(videoId.Length > 64 ? videoId[..64] + "…" : videoId)}'";

    private static IResult Count(IResult result, int status) => ServiceMetrics.Counted(Endpoint, result, status);
}

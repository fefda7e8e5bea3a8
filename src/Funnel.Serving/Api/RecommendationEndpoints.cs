using Funnel.Core;
using Funnel.Ranking.Sources;
using Funnel.Serving.Contracts;
using Funnel.Serving.Models;
using Funnel.Serving.Recommendations;
using Funnel.Serving.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace Funnel.Serving.Api;

/// <summary>POST /v1/recommendations.</summary>
public static class RecommendationEndpoints
{
    private const string Endpoint = "recommendations";

    /// <summary>Maps the endpoint.</summary>
    public static void Map(WebApplication app) =>
        app.MapPost("/v1/recommendations", RecommendAsync)
            .WithName("Recommend")
            .WithTags(OpenApiTags.Recommendations)
            .WithSummary("A slate for the user, ordered by expected watch time")
            .Accepts<RecommendationRequest>("application/json")
            .Produces<RecommendationResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> RecommendAsync(HttpRequest http, ModelHolder models, IEventStore store, CoVisitStore coVisits, Recommender recommender, ServiceOptions options, CancellationToken cancellation)
    {
        RecommendationRequest? request;
        try
        {
            request = await JsonBody.ReadAsync<RecommendationRequest>(http, options.MaxBodyBytes, cancellation);
        }
        catch (BadRequestBodyException error)
        {
            return Count(Problems.Body(error), error.Status);
        }
        if (Validate(request) is { } invalid)
        {
            return Count(Problems.BadRequest(invalid), StatusCodes.Status400BadRequest);
        }
        using var lease = models.Acquire();
        if (lease is null)
        {
            return Count(Problems.Unavailable("no model is loaded"), StatusCodes.Status503ServiceUnavailable);
        }
        IReadOnlyList<UserEvent> events;
        RecommendationContext context;
        try
        {
            // Sent together: the connection pipelines the two reads.
            var stored = store.ReadAsync(request!.UserId!);
            var profile = store.ReadProfileAsync(request.UserId!);
            events = await stored;
            context = ProfileContext.Merge(request.Context, await profile);
        }
        // A slow store times out with RedisTimeoutException, which is not a RedisException: a 503 too, never a 500.
        catch (Exception error) when (error is RedisException or RedisTimeoutException or InvalidDataException)
        {
            ServiceMetrics.Errors.WithLabels(Endpoint).Inc();
            return Count(Problems.Unavailable($"the user's state cannot be read: {error.Message}"), StatusCodes.Status503ServiceUnavailable);
        }
        var now = request.Time ?? options.Now();
        var live = options.LiveCoVisits ? await LiveCoVisitsAsync(coVisits, lease.Model, recommender, events) : null;
        var response = recommender.Recommend(lease.Model, request.UserId!, request.K ?? ServiceOptions.DefaultK, context, request.Exclude ?? [], events, now, debug: true, live, request.Metadata);
        foreach (var (stage, ms) in response.Debug!.StageMs)
        {
            ServiceMetrics.StageSeconds.WithLabels(stage).Observe(ms / 1000);
        }
        if (response.Items.Any(item => !double.IsFinite(item.Score)))
        {
            // JSON has no NaN: writing one fails after the headers are sent and cuts the body short.
            ServiceMetrics.Errors.WithLabels(Endpoint).Inc();
            return Count(Problems.Of(StatusCodes.Status500InternalServerError, "Non-finite score", $"model {lease.Model.Version} scored a candidate NaN or infinite for this request; nothing was served"), StatusCodes.Status500InternalServerError);
        }
        ServiceMetrics.Slates.WithLabels(response.ServedBy).Inc();
        foreach (var source in response.Items.GroupBy(item => item.Source))
        {
            ServiceMetrics.SlateItems.WithLabels(source.Key).Inc(source.Count());
        }
        return Count(Results.Json(request.Debug ? response : response with { Debug = null }, FunnelJson.Api), StatusCodes.Status200OK);
    }

    /// <summary>
    /// The co-visits counted since the model's tables, for the user's last watches, when a source or
    /// the ranker reads co-visits; when the store cannot give them the tables alone serve (counted in
    /// <c>funnel_errors_total{endpoint="covisits"}</c>).
    /// </summary>
    private static async Task<CoVisitDeltas?> LiveCoVisitsAsync(CoVisitStore coVisits, ServingModel model, Recommender recommender, IReadOnlyList<UserEvent> events)
    {
        if (model.Sources.WatchCounts.Count == 0 || (recommender.Sources.CoVisits == 0 && !model.Ranker.Manifest.UsesSourceFeatures))
        {
            return null;
        }
        try
        {
            return await coVisits.ReadAsync(model.CoVisitsTable, UserEvent.WatchedInTimeOrder(events));
        }
        catch (Exception error) when (error is RedisException or RedisTimeoutException)
        {
            ServiceMetrics.Errors.WithLabels(CoVisitStore.MetricsEndpoint).Inc();
            return null;
        }
    }

    private static string? Validate(RecommendationRequest? request)
    {
        if (request is null)
        {
            return "the body must be a JSON object with at least \"userId\"";
        }
        if (string.IsNullOrWhiteSpace(request.UserId) || request.UserId.Length > 256)
        {
            return "userId: required, 1 to 256 characters";
        }
        if (request.K is < 1 or > ServiceOptions.MaxK)
        {
            return $"k: must be between 1 and {ServiceOptions.MaxK}, got {request.K}";
        }
        if (request.Exclude is { Count: > ServiceOptions.MaxK })
        {
            return $"exclude: at most {ServiceOptions.MaxK} ids, got {request.Exclude.Count}";
        }
        if (request.Exclude?.Any(id => id is null) == true)
        {
            return "exclude: ids must be strings";
        }
        if (request.Context?.Gender is { } gender && !RecommendationContext.Genders.Contains(gender))
        {
            return $"context.gender: \"{string.Join("\" or \"", RecommendationContext.Genders)}\" when known, got \"{(gender.Length > 32 ? gender[..32] + "…" : gender)}\"";
        }
        if (request.Context?.Age is < 0 or > RecommendationContext.MaxAge)
        {
            return $"context.age: years from 0 to {RecommendationContext.MaxAge} when known, got {request.Context.Age}";
        }
        return request.Time is < ServiceOptions.EarliestTime or > ServiceOptions.LatestTime
            ? $"time: must be Unix seconds from {ServiceOptions.EarliestTime} (1990) to {ServiceOptions.LatestTime} (2200), got {request.Time}"
            : null;
    }

    private static IResult Count(IResult result, int status) => ServiceMetrics.Counted(Endpoint, result, status);
}

using Funnel.Core;
using Funnel.Data.Model;
using Funnel.Serving.Contracts;
using Funnel.Serving.State;
using Funnel.Serving.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace Funnel.Serving.Api;

/// <summary>
/// POST /admin/videos: adds or updates catalogue videos at serving time, durably in the store, so
/// the fresh-uploads source can recommend them before any retraining (and after a restart). The
/// whole batch is checked first: one bad field is a 400 naming it, and nothing is stored. Keyed
/// like the model reload (X-Api-Key).
/// </summary>
public static class VideoEndpoints
{
    /// <summary>Most videos per request.</summary>
    public const int MaxVideos = 1_000;

    /// <summary>Longest id, channel, language or topic list accepted.</summary>
    public const int MaxField = 256;

    /// <summary>Longest title accepted.</summary>
    public const int MaxTitle = 1_000;

    private const string Endpoint = "videos";

    /// <summary>Maps the endpoint.</summary>
    public static void Map(WebApplication app) =>
        app.MapPost("/admin/videos", AddAsync)
            .WithName("AddVideos")
            .WithTags(OpenApiTags.Admin)
            .WithSummary("Add or update videos in the catalogue, durably, for the fresh-uploads source")
            .Accepts<AddVideosRequest>("application/json")
            .Produces<AddVideosResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> AddAsync(HttpRequest http, UploadStore store, FreshUploads uploads, ServiceOptions options, CancellationToken cancellation)
    {
        if (KeyCheck.AdminRefusal(http, options.ApiKey, "catalogue changes") is { } refused)
        {
            return Count(refused.Result, refused.Status);
        }
        AddVideosRequest? request;
        try
        {
            request = await JsonBody.ReadAsync<AddVideosRequest>(http, options.MaxBodyBytes, cancellation);
        }
        catch (BadRequestBodyException error)
        {
            return Count(Problems.Body(error), error.Status);
        }
        var now = options.Now();
        if (Validate(request, now, out var videos) is { } invalid)
        {
            return Count(Problems.BadRequest(invalid), StatusCodes.Status400BadRequest);
        }
        try
        {
            await store.PutAsync(videos);
        }
        catch (Exception error) when (error is RedisException or RedisTimeoutException)
        {
            ServiceMetrics.Errors.WithLabels(Endpoint).Inc();
            return Count(Problems.Unavailable($"the videos cannot be stored: {error.Message}"), StatusCodes.Status503ServiceUnavailable);
        }
        uploads.Put(videos);
        ServiceMetrics.Uploads.Set(uploads.Videos.Count);
        return Count(Results.Json(new AddVideosResponse(videos.Count, uploads.Videos.Count), FunnelJson.Api), StatusCodes.Status200OK);
    }

    private static string? Validate(AddVideosRequest? request, long now, out List<Video> videos)
    {
        videos = [];
        if (request?.Videos is not { Count: > 0 } items)
        {
            return "videos: required, a list of 1 to 1000 videos";
        }
        if (items.Count > MaxVideos)
        {
            return $"videos: at most {MaxVideos} per request, got {items.Count}";
        }
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"videos[{i}]";
            if (items[i] is not { } item)
            {
                return $"{field}: must be an object";
            }
            if (string.IsNullOrWhiteSpace(item.Id) || item.Id.Length > MaxField)
            {
                return $"{field}.id: required, 1 to {MaxField} characters";
            }
            foreach (var (name, value) in new[] { ("channel", item.Channel), ("topics", item.Topics), ("language", item.Language) })
            {
                if (value is { Length: > MaxField })
                {
                    return $"{field}.{name}: at most {MaxField} characters, got {value.Length}";
                }
            }
            if (item.Title is { Length: > MaxTitle })
            {
                return $"{field}.title: at most {MaxTitle} characters, got {item.Title.Length}";
            }
            if (item.DurationSeconds is { } duration && !(float.IsFinite(duration) && duration >= 0))
            {
                return $"{field}.durationSeconds: a finite number of seconds ≥ 0, got {duration}";
            }
            if (item.UploadTime is < ServiceOptions.EarliestTime or > ServiceOptions.LatestTime)
            {
                return $"{field}.uploadTime: Unix seconds from {ServiceOptions.EarliestTime} (1990) to {ServiceOptions.LatestTime} (2200), got {item.UploadTime}";
            }
            videos.Add(new Video(item.Id, item.Channel ?? "", item.UploadTime ?? now, item.DurationSeconds ?? 0, item.Language ?? "", item.Title ?? "", item.Topics ?? ""));
        }
        var repeated = videos.GroupBy(v => v.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return repeated is null ? null : $"videos: id \"{repeated.Key}\" appears more than once";
    }

    private static IResult Count(IResult result, int status) => ServiceMetrics.Counted(Endpoint, result, status);
}

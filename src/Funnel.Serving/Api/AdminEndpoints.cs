using Funnel.Core;
using Funnel.Serving.Contracts;
using Funnel.Serving.Models;
using Funnel.Serving.Recommendations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Funnel.Serving.Api;

/// <summary>
/// POST /admin/models/reload: loads a model folder, checks it whole, and swaps it in atomically;
/// requests in flight finish on the old model. A folder that cannot serve is refused (422) and the
/// old model keeps serving. Requires the configured API key in X-Api-Key (401 without it, 403 with
/// a wrong one or when no key is configured).
/// </summary>
public static partial class AdminEndpoints
{
    /// <summary>The header carrying the API key.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    private const string Endpoint = "reload";

    private static readonly SemaphoreSlim OneReloadAtATime = new(1, 1);

    /// <summary>Maps the endpoint.</summary>
    public static void Map(WebApplication app) =>
        app.MapPost("/admin/models/reload", ReloadAsync)
            .WithName("ReloadModel")
            .WithTags(OpenApiTags.Admin)
            .WithSummary("Load a model folder, validate it, and swap it in atomically")
            .Accepts<ReloadRequest>("application/json")
            .Produces<ReloadResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    private static async Task<IResult> ReloadAsync(HttpRequest http, ModelHolder models, ServiceOptions options, ILoggerFactory logs, CancellationToken cancellation)
    {
        if (KeyCheck.AdminRefusal(http, options.ApiKey, "model reloads") is { } refused)
        {
            return Count(refused.Result, refused.Status);
        }
        ReloadRequest? request;
        try
        {
            request = await JsonBody.ReadAsync<ReloadRequest>(http, options.MaxBodyBytes, cancellation);
        }
        catch (BadRequestBodyException error)
        {
            return Count(Problems.Body(error), error.Status);
        }
        var folder = request?.Path ?? options.ModelFolder;
        await OneReloadAtATime.WaitAsync(cancellation);
        try
        {
            ServingModel model;
            var loading = Task.Run(() => LoadCheckedAsync(folder, options.CandidateSources.ReadsTables, cancellation), cancellation);
            try
            {
                model = await loading.WaitAsync(ReloadTimeout, cancellation);
            }
            catch (TimeoutException)
            {
                // A load that never ends (a FIFO or a hung mount in the folder) must not hold the next reload: it is abandoned, and disposed if it ever finishes.
                _ = loading.ContinueWith(finished => finished.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                ServiceMetrics.Reloads.WithLabels("refused").Inc();
                return Count(Problems.Of(StatusCodes.Status422UnprocessableEntity, "Model refused", $"{folder} did not load within {ReloadTimeout.TotalMinutes:F0} minutes; the current model stays"), StatusCodes.Status422UnprocessableEntity);
            }
            catch (Exception error) when (error is DataFormatException or IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
            {
                ServiceMetrics.Reloads.WithLabels("refused").Inc();
                ReloadRefused(logs.CreateLogger(typeof(AdminEndpoints)), folder, error.Message);
                return Count(Problems.Of(StatusCodes.Status422UnprocessableEntity, "Model refused", $"{folder} cannot be served, the current model stays: {error.Message}"), StatusCodes.Status422UnprocessableEntity);
            }
            var previous = models.Version;
            models.Swap(model);
            ServiceMetrics.Serving(previous, model.Version);
            ServiceMetrics.Reloads.WithLabels("swapped").Inc();
            return Count(Results.Json(new ReloadResponse(model.Version, model.Folder), FunnelJson.Api), StatusCodes.Status200OK);
        }
        finally
        {
            OneReloadAtATime.Release();
        }
    }

    private static IResult Count(IResult result, int status) => ServiceMetrics.Counted(Endpoint, result, status);

    /// <summary>The longest a reload may take (a million-video model loads in minutes on 2 cores).</summary>
    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromMinutes(15);

    /// <summary>Loads a folder and serves one canary request with it before anyone else can.</summary>
    private static async Task<ServingModel> LoadCheckedAsync(string folder, bool sourceTables, CancellationToken cancellation)
    {
        var model = await ServingModel.LoadAsync(folder, sourceTables, cancellation).ConfigureAwait(false);
        try
        {
            Recommender.Canary(model);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "model reload from {Folder} refused: {Error}")]
    private static partial void ReloadRefused(ILogger logger, string folder, string error);
}

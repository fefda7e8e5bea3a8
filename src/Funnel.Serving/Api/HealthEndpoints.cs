using Funnel.Serving.Models;
using Funnel.Serving.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Funnel.Serving.Api;

/// <summary>GET /healthz (the process answers) and GET /readyz (a model is loaded and the store answers).</summary>
public static class HealthEndpoints
{
    /// <summary>Maps both.</summary>
    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Json(new { status = "ok" }))
            .WithName("Health")
            .WithTags(OpenApiTags.Operations)
            .WithSummary("The process is up");
        app.MapGet("/readyz", async (ModelHolder models, IEventStore store, StoreRecovery recovery) =>
        {
            if (recovery.Failure is { } failure)
            {
                return Problems.Unavailable(failure);
            }
            var version = models.Version;
            var storeUp = await store.PingAsync();
            return version is not null && storeUp
                ? Results.Json(new { status = "ready", modelVersion = version })
                : Problems.Unavailable(version is null ? "no model is loaded" : "the state store does not answer");
        })
            .WithName("Ready")
            .WithTags(OpenApiTags.Operations)
            .WithSummary("A model is loaded and the state store answers, having recovered everything it acknowledged")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }
}

using System.Net.Http.Json;
using Funnel.Data.Model;
using Funnel.Experiments.Arms;
using Funnel.Serving;
using Funnel.Serving.Api;
using Funnel.Serving.Contracts;
using Funnel.Serving.Hosting;
using Funnel.Serving.Recommendations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Funnel.Experiments.Simulation;

/// <summary>
/// One arm's recommendation service, the real one: Kestrel on a loopback port with its own
/// embedded store, reached over HTTP like any client would. Arms never share state.
/// </summary>
public sealed class ArmService : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly HttpClient client;

    private ArmService(Arm arm, WebApplication app, string apiKey)
    {
        Arm = arm;
        this.app = app;
        client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
    }

    /// <summary>The arm served.</summary>
    public Arm Arm { get; }

    /// <summary>Starts the arm's service with a fresh store in <paramref name="storeFolder"/>.</summary>
    public static async Task<ArmService> StartAsync(Arm arm, string storeFolder, int candidates, CancellationToken cancellation)
    {
        if (Directory.Exists(storeFolder))
        {
            Directory.Delete(storeFolder, recursive: true);
        }
        // A key of its own, so the experiment can swap in retrained models through the admin API.
        var apiKey = Guid.NewGuid().ToString("N");
        var app = await ServiceHost.BuildAsync(new ServiceOptions(arm.ModelFolder, StoreFolder: storeFolder, ApiKey: apiKey, Sources: (arm.Sources ?? new CandidateSources()) with { Network = candidates }, LiveCoVisits: false), builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
        }, cancellation).ConfigureAwait(false);
        await app.StartAsync(cancellation).ConfigureAwait(false);
        return new ArmService(arm, app, apiKey);
    }

    /// <summary>POST /v1/events, in batches the API accepts.</summary>
    public async Task PostEventsAsync(string userId, IReadOnlyList<EventRequest> events, CancellationToken cancellation)
    {
        foreach (var batch in events.Chunk(ServiceOptions.MaxEventsPerRequest))
        {
            using var response = await client.PostAsJsonAsync("/v1/events", new EventBatch(userId, batch), cancellation).ConfigureAwait(false);
            await EnsureAsync(response, "POST /v1/events", cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>POST /admin/videos, in batches the API accepts: the videos become the fresh-uploads source's from their upload time on.</summary>
    public async Task PostVideosAsync(IReadOnlyList<Video> videos, CancellationToken cancellation)
    {
        foreach (var batch in videos.Chunk(VideoEndpoints.MaxVideos))
        {
            var request = new AddVideosRequest([.. batch.Select(v => new UploadedVideo(v.Id, v.Channel, v.Topics, v.Language, v.DurationSeconds, v.UploadTime, v.Title))]);
            using var response = await client.PostAsJsonAsync("/admin/videos", request, cancellation).ConfigureAwait(false);
            await EnsureAsync(response, "POST /admin/videos", cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>POST /v1/recommendations at the simulated time.</summary>
    public async Task<RecommendationResponse> RecommendAsync(string userId, int k, RecommendationContext context, long time, CancellationToken cancellation)
    {
        using var response = await client.PostAsJsonAsync("/v1/recommendations", new RecommendationRequest(userId, k, context, Time: time), cancellation).ConfigureAwait(false);
        await EnsureAsync(response, "POST /v1/recommendations", cancellation).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<RecommendationResponse>(cancellation).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"arm {Arm.Name}: POST /v1/recommendations answered an empty body");
    }

    /// <summary>POST /admin/models/reload: the service swaps to the model folder at <paramref name="path"/>; returns the new version.</summary>
    public async Task<string> ReloadAsync(string path, CancellationToken cancellation)
    {
        using var response = await client.PostAsJsonAsync("/admin/models/reload", new ReloadRequest(Path.GetFullPath(path)), cancellation).ConfigureAwait(false);
        await EnsureAsync(response, "POST /admin/models/reload", cancellation).ConfigureAwait(false);
        var reloaded = await response.Content.ReadFromJsonAsync<ReloadResponse>(cancellation).ConfigureAwait(false);
        return reloaded?.ModelVersion ?? throw new InvalidOperationException($"arm {Arm.Name}: POST /admin/models/reload answered an empty body");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task EnsureAsync(HttpResponseMessage response, string call, CancellationToken cancellation)
    {
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
            throw new InvalidOperationException($"arm {Arm.Name}: {call} answered {(int)response.StatusCode}: {problem}");
        }
    }
}

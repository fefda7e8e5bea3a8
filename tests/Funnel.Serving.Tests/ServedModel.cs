using System.Net.Http.Json;
using Funnel.Data.Synthetic;
using Funnel.Serving.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace Funnel.Serving.Tests;

/// <summary>A small world and a full model folder (candidates, index, ranker, catalogue), made once for all service tests.</summary>
public sealed class ServedModel : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("funnel-serving-").FullName;

    public string Data => Path.Combine(folder, "world");

    public string Model => Path.Combine(folder, "model");

    /// <summary>A second, separately trained model folder (another seed, its ranker without source features) to swap in.</summary>
    public string OtherModel => Path.Combine(folder, "other");

    public string NewFolder(string name) => Path.Combine(folder, $"{name}-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        await WorldGenerator.GenerateAsync(new WorldOptions(Users: 250, Videos: 600, Days: 8, Seed: 9), Data);
        foreach (var (target, seed) in new[] { (Model, 1), (OtherModel, 2) })
        {
            await TinyModels.TrainCandidatesAsync(Data, target, seed);
            await TinyModels.TrainRankerAsync(Data, target, seed, holdoutFraction: 0.25, sourceFeatures: target == Model);
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Starts the service in memory (test server) with its own embedded store folder.</summary>
    public Task<RunningService> StartAsync(string? apiKey = "secret", string? storeFolder = null) =>
        StartAsync(new ServiceOptions(Model, StoreFolder: storeFolder ?? NewFolder("store"), ApiKey: apiKey));

    /// <summary>Starts the service in memory with the given options; <paramref name="configure"/> can add services (e.g. a store of its own); <paramref name="beforeStart"/> runs on the built app before it starts.</summary>
    public static async Task<RunningService> StartAsync(ServiceOptions options, Action<WebApplicationBuilder>? configure = null, Func<WebApplication, Task>? beforeStart = null)
    {
        var app = await ServiceHost.BuildAsync(options, builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            configure?.Invoke(builder);
        });
        if (beforeStart is not null)
        {
            await beforeStart(app);
        }
        await app.StartAsync();
        return new RunningService(app, app.GetTestClient(), options);
    }
}

/// <summary>A started in-memory service and a client for it.</summary>
public sealed class RunningService(WebApplication app, HttpClient client, ServiceOptions options) : IAsyncDisposable
{
    public HttpClient Client { get; } = client;

    public ServiceOptions Options { get; } = options;

    public WebApplication App { get; } = app;

    public async Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        await Client.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PostAsync<T>(string path, T body) => Client.PostAsJsonAsync(path, body);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ServingTests : ICollectionFixture<ServedModel>
{
    public const string Name = "serving";
}

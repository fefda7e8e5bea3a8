using Funnel.Serving.Api;
using Funnel.Serving.Models;
using Funnel.Serving.Recommendations;
using Funnel.Serving.State;
using Funnel.Serving.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Funnel.Core;
using Prometheus;
using Scalar.AspNetCore;
using StackExchange.Redis;

namespace Funnel.Serving.Hosting;

/// <summary>
/// Builds the recommendation service: the store (an embedded Garnet, or any Redis by connection
/// string), the model loaded and checked before the first request, the endpoints, metrics and the
/// OpenAPI document (/openapi/v1.json).
/// </summary>
public static partial class ServiceHost
{
    /// <summary>Builds the app; <paramref name="configure"/> can adjust the builder (URLs, test server, logging, an <see cref="IEventStore"/> of its own).</summary>
    public static async Task<WebApplication> BuildAsync(ServiceOptions options, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellation = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes);
        configure?.Invoke(builder);

        var model = await ServingModel.LoadAsync(options.ModelFolder, options.CandidateSources.ReadsTables, cancellation).ConfigureAwait(false);
        try
        {
            Recommender.Canary(model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        EventStoreOptions eventStore;
        try
        {
            eventStore = options.EventStore;
        }
        catch
        {
            model.Dispose();
            throw;
        }
        EmbeddedGarnet? garnet = null;
        ConnectionMultiplexer connection;
        try
        {
            garnet = options.Store == ServiceOptions.Embedded ? EmbeddedGarnet.Start(options.StoreFolder, options.StoreLogMegabytes << 20) : null;
            connection = await ConnectionMultiplexer.ConnectAsync(garnet?.Connection ?? options.RedisConfiguration).ConfigureAwait(false);
        }
        catch
        {
            garnet?.Dispose();
            model.Dispose();
            throw;
        }
        // The videos added at serving time, read back before the first request (a store that did not recover holds none it can vouch for).
        var uploads = new FreshUploads();
        var unreadable = new List<string>();
        var migrated = 0;
        var events = new RedisEventStore(connection, options.Retention, TimeProvider.System, garnet?.RecoveryFailure, eventStore);
        try
        {
            if (garnet?.RecoveryFailure is null)
            {
                await events.CheckAcknowledgementAsync().ConfigureAwait(false);
                migrated = await events.MigrateLayoutAsync().ConfigureAwait(false);
                uploads.Put(await new UploadStore(connection).ReadAllAsync(unreadable.Add).ConfigureAwait(false));
            }
        }
        catch
        {
            connection.Dispose();
            garnet?.Dispose();
            model.Dispose();
            throw;
        }
        // Factories, so the container disposes them when the app stops (connection before store).
        builder.Services.AddSingleton(_ => new StoreLifetime(garnet, connection));
        // TryAdd: a host embedding the service (or a test) may bring its own event store.
        builder.Services.AddSingleton(events);
        builder.Services.TryAddSingleton<IEventStore>(services => services.GetRequiredService<RedisEventStore>());
        builder.Services.AddHostedService<RetentionService>();
        builder.Services.AddSingleton(new StoreRecovery(garnet?.RecoveryFailure));
        builder.Services.AddSingleton(_ => new ModelHolder(model));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(uploads);
        builder.Services.AddSingleton(services => new UploadStore(services.GetRequiredService<StoreLifetime>().Connection));
        builder.Services.AddSingleton(services => new CoVisitStore(services.GetRequiredService<StoreLifetime>().Connection));
        builder.Services.AddSingleton(new Recommender(options.CandidateSources, uploads));
        builder.Services.AddProblemDetails();
        if (options.RequestsPerSecondPerClient > 0)
        {
            builder.Services.AddRateLimiter(limiter => ClientRateLimit.Configure(limiter, options.RequestsPerSecondPerClient));
        }
        // The document's generator reads these: the API's own strict policy, so numbers are numbers.
        builder.Services.ConfigureHttpJsonOptions(json => FunnelJson.CopyApiPolicy(json.SerializerOptions));
        builder.Services.AddOpenApi(openApi =>
        {
            OpenApiSecurity.Configure(openApi, options);
            OpenApiContract.Configure(openApi);
        });

        var app = builder.Build();
        app.UseExceptionHandler();
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception) when (!context.RequestAborted.IsCancellationRequested)
            {
                ServiceMetrics.Unhandled(context.Request.Path);
                throw;
            }
        });
        app.UseStatusCodePages();
        if (options.RequestsPerSecondPerClient > 0)
        {
            app.UseRateLimiter();
        }
        // The HTTP metrics label requests by method: an invented method name per request would grow
        // /metrics without bound, so methods no endpoint serves are refused before they are counted.
        app.Use(async (context, next) =>
        {
            if (!ServedMethods.Contains(context.Request.Method))
            {
                context.Response.Headers.Allow = "GET, HEAD, POST";
                await Problems.Of(StatusCodes.Status405MethodNotAllowed, "Method not allowed", "the service answers GET, HEAD and POST only").ExecuteAsync(context).ConfigureAwait(false);
                return;
            }
            await next(context).ConfigureAwait(false);
        });
        app.UseHttpMetrics();
        RecommendationEndpoints.Map(app);
        EventEndpoints.Map(app);
        AdminEndpoints.Map(app);
        VideoEndpoints.Map(app);
        HealthEndpoints.Map(app);
        app.MapMetrics();
        app.MapOpenApi();
        // The interactive reference (Scalar, its script served from the package, no CDN) at /scalar/, every group open.
        app.MapScalarApiReference(reference => reference.WithTitle("Funnel API").ExpandAllTags());
        ServiceMetrics.Serving(null, model.Version);
        ServiceMetrics.Uploads.Set(uploads.Videos.Count);
        foreach (var problem in unreadable)
        {
            LogUnreadableUpload(app.Logger, problem);
        }
        if (migrated > 0)
        {
            LogMigrated(app.Logger, migrated);
        }
        if (garnet?.RecoveryFailure is { } failure)
        {
            LogUnrecoveredStore(app.Logger, failure);
        }
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "store: moved {Users} users' events to the hash-tagged layout (funnel:user:{{user}}:events)")]
    private static partial void LogMigrated(ILogger logger, int users);

    [LoggerMessage(Level = LogLevel.Warning, Message = "an upload in the store cannot be read and is skipped: {Problem}")]
    private static partial void LogUnreadableUpload(ILogger logger, string problem);

    private static readonly HashSet<string> ServedMethods = new(StringComparer.Ordinal) { HttpMethods.Get, HttpMethods.Head, HttpMethods.Post };

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Failure}; the service stays unready (/readyz 503) and refuses reads and writes until the store folder is repaired or moved aside")]
    private static partial void LogUnrecoveredStore(ILogger logger, string failure);

    /// <summary>Owns the store connection and the embedded server, closed in that order.</summary>
    private sealed class StoreLifetime(EmbeddedGarnet? garnet, IConnectionMultiplexer connection) : IDisposable
    {
        public IConnectionMultiplexer Connection { get; } = connection;

        public void Dispose()
        {
            Connection.Dispose();
            garnet?.Dispose();
        }
    }
}

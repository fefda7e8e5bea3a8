using Prometheus;

namespace Funnel.Serving.Api;

/// <summary>The service's Prometheus metrics (GET /metrics, text format).</summary>
public static class ServiceMetrics
{
    /// <summary>Requests by endpoint and status code.</summary>
    public static readonly Counter Requests = Metrics.CreateCounter("funnel_requests_total", "Requests by endpoint and status code", "endpoint", "status");

    /// <summary>Latency of each recommendation stage.</summary>
    public static readonly Histogram StageSeconds = Metrics.CreateHistogram(
        "funnel_stage_seconds",
        "Latency of each recommendation stage (state, user_vector, retrieval, sources, ranking)",
        new HistogramConfiguration { LabelNames = ["stage"], Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });

    /// <summary>Requests that failed by the service's fault or a dependency's.</summary>
    public static readonly Counter Errors = Metrics.CreateCounter("funnel_errors_total", "Requests that failed inside the service or its store", "endpoint");

    /// <summary>Events stored.</summary>
    public static readonly Counter Events = Metrics.CreateCounter("funnel_events_total", "Events stored, by type", "type");

    /// <summary>Slates by how they were served.</summary>
    public static readonly Counter Slates = Metrics.CreateCounter("funnel_slates_total", "Slates served, by path (model, model+popularity or fallback)", "served_by");

    /// <summary>Slate items served, by the candidate source that nominated them (candidates, fresh, popularity).</summary>
    public static readonly Counter SlateItems = Metrics.CreateCounter("funnel_slate_items_total", "Slate items served, by the source that nominated them", "source");

    /// <summary>Videos added at serving time (POST /admin/videos) the service knows.</summary>
    public static readonly Gauge Uploads = Metrics.CreateGauge("funnel_uploads", "Videos added at serving time that the service knows");

    /// <summary>1 for the model version being served.</summary>
    public static readonly Gauge ModelInfo = Metrics.CreateGauge("funnel_model_info", "The model version being served (value 1)", "version");

    /// <summary>Model swaps.</summary>
    public static readonly Counter Reloads = Metrics.CreateCounter("funnel_model_reloads_total", "Model reloads by outcome", "outcome");

    /// <summary>Users the store holds.</summary>
    public static readonly Gauge StoreUsers = Metrics.CreateGauge("funnel_store_users", "Users the event store holds");

    /// <summary>Users the retention policy forgot.</summary>
    public static readonly Counter UsersForgotten = Metrics.CreateCounter("funnel_store_users_forgotten_total", "Users forgotten by the retention policy (idle too long, or least recently active beyond the user bound)");

    /// <summary>Counts a response of <paramref name="endpoint"/> and passes it on.</summary>
    public static Microsoft.AspNetCore.Http.IResult Counted(string endpoint, Microsoft.AspNetCore.Http.IResult result, int status)
    {
        Requests.WithLabels(endpoint, status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        return result;
    }

    /// <summary>
    /// Counts a request that failed with an exception the endpoint did not handle (the exception
    /// handler answers it 500), under the endpoint's name from a fixed set, so invented paths cannot
    /// grow the metrics.
    /// </summary>
    public static void Unhandled(Microsoft.AspNetCore.Http.PathString path)
    {
        var endpoint = path.Value switch
        {
            "/v1/recommendations" => "recommendations",
            "/v1/events" => "events",
            "/admin/models/reload" => "reload",
            _ => "other",
        };
        Errors.WithLabels(endpoint).Inc();
        Requests.WithLabels(endpoint, "500").Inc();
    }

    /// <summary>Bytes the process has allocated on the managed heap since it started, read at each scrape: with the slates served, what a slate allocates.</summary>
    public static readonly Gauge AllocatedBytes = ReadAtEachScrape(Metrics.CreateGauge("funnel_allocated_bytes", "Managed bytes allocated since the process started"));

    private static Gauge ReadAtEachScrape(Gauge gauge)
    {
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() => gauge.Set(GC.GetTotalAllocatedBytes()));
        return gauge;
    }

    /// <summary>Marks <paramref name="version"/> as served and any earlier one as not.</summary>
    public static void Serving(string? previous, string version)
    {
        if (previous is not null)
        {
            ModelInfo.WithLabels(previous).Set(0);
        }
        ModelInfo.WithLabels(version).Set(1);
    }
}

using System.CommandLine;
using System.Globalization;
using Funnel.Data.Storage;
using Funnel.Cli.Hosting;
using Funnel.Serving;
using Funnel.Serving.Hosting;
using Funnel.Serving.Recommendations;
using Funnel.Serving.Store;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Funnel.Cli.Commands;

/// <summary>funnel serve: the recommendation service over HTTP until stopped (Ctrl+C, SIGTERM).</summary>
internal sealed class ServeCommand : TypedCommand<ServeCommand.Arguments>
{
    /// <summary>The environment variable that can carry the reload API key (so it stays out of process listings).</summary>
    public const string ApiKeyVariable = "FUNNEL_API_KEY";

    /// <summary>The environment variable that can carry the ingestion key.</summary>
    public const string IngestKeyVariable = "FUNNEL_INGEST_KEY";

    private static readonly ServiceOptions Defaults = new("");

    private readonly Option<string> model = CommonOptions.RequiredPath("--model", "Model folder with candidates, index and ranker (funnel train candidates, then funnel train ranking)");
    private readonly Option<string> urls = new("--urls") { Description = "Where to listen (loopback unless told otherwise)", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
    private readonly Option<string> store = new("--store") { Description = "embedded (a Garnet in the process, no set-up) or redis://HOST:PORT[,HOST:PORT...] for an external Garnet or Redis, or a Redis Cluster or Garnet cluster (docs/scale.md), or unix:///PATH for one on this machine through its Unix socket", DefaultValueFactory = _ => Defaults.Store };
    private readonly Option<Acknowledgement> acknowledge = new("--acknowledge") { Description = "When POST /v1/events answers: primary (the primary holding the user has the events) or replica (a replica has them too, WAIT 1: a failover keeps them; external stores with replicas)", DefaultValueFactory = _ => Defaults.Acknowledge };
    private readonly Option<string> storeDir = new("--store-dir") { Description = "Where the embedded store keeps its append-only file", DefaultValueFactory = _ => Defaults.StoreFolder };
    private readonly Option<string?> apiKey = new("--api-key") { Description = $"Key for POST /admin/models/reload (or set {ApiKeyVariable}); without one, reloads are refused" };
    private readonly Option<string?> ingestKey = new("--ingest-key") { Description = $"Key POST /v1/events requires in X-Ingest-Key (or set {IngestKeyVariable}); without one, any client that reaches the service may post events" };
    private readonly Option<int> rateLimit = new("--rate-limit") { Description = "Requests per second one client address may make (429 with Retry-After beyond it; 0: no limit)", DefaultValueFactory = _ => Defaults.RequestsPerSecondPerClient };
    private readonly Option<int> maxUsers = new("--max-users") { Description = "Users the store keeps (each with its last 2,000 events); beyond it the least recently active are forgotten", DefaultValueFactory = _ => Defaults.MaxUsers };
    private readonly Option<int> idleDays = new("--idle-days") { Description = "Days a user may post nothing before being forgotten (0: never)", DefaultValueFactory = _ => Defaults.IdleDays };
    private readonly Option<long> storeLog = new("--store-log-mb") { Description = "Megabytes of append-only file after which the embedded store takes a checkpoint and truncates the file (bounds its disk and the restart's replay)", DefaultValueFactory = _ => Defaults.StoreLogMegabytes };
    private readonly Option<int> candidates = new("--candidates") { Description = "Candidates the network retrieves from the index per request", DefaultValueFactory = _ => Defaults.CandidateSources.Network };
    private readonly Option<string?> history = new("--history") { Description = "Dataset folder whose users' events are written into the store before the service listens (users the store already knows are kept as they are), so the service knows them as funnel recommend does" };
    private readonly Option<string?> now = new("--now") { Description = $"Fix the service's clock for replays: Unix seconds, an ISO-8601 time, or {HistoryEnd} (one second after --history's last event); requests and events without a time get it (default: the system clock)" };
    private readonly Option<string?> sources = new("--sources") { Description = $"Candidate sources and how many each nominates per request, any of {CandidateSources.Syntax} (0 turns one off; default {new CandidateSources()})" };

    /// <summary>The --now value meaning "just after the history".</summary>
    public const string HistoryEnd = "history-end";

    /// <summary>What the command was asked; <see cref="History"/> is the dataset to load first, or null.</summary>
    internal sealed record Arguments(ServiceOptions Service, string Urls, string? History);

    protected override string Name => "serve";

    protected override string Description => "The recommendation service: POST /v1/recommendations, POST /v1/events, /healthz, /readyz, /metrics, /openapi/v1.json, POST /admin/models/reload";

    protected override IEnumerable<Option> Options => [model, urls, store, acknowledge, storeDir, apiKey, ingestKey, rateLimit, maxUsers, idleDays, storeLog, candidates, sources, history, now];

    protected override Arguments Bind(ParseResult parse)
    {
        if (parse.GetValue(candidates) is < 1 or > ServiceOptions.MaxK)
        {
            throw new ArgumentException($"--candidates: expected 1 to {ServiceOptions.MaxK}, got {parse.GetValue(candidates)}");
        }
        if (parse.GetValue(rateLimit) < 0)
        {
            throw new ArgumentException($"--rate-limit: expected 0 (no limit) or more requests per second, got {parse.GetValue(rateLimit)}");
        }
        if (parse.GetValue(maxUsers) < 1)
        {
            throw new ArgumentException($"--max-users: expected 1 or more, got {parse.GetValue(maxUsers)}");
        }
        if (parse.GetValue(idleDays) < 0)
        {
            throw new ArgumentException($"--idle-days: expected 0 (never) or more days, got {parse.GetValue(idleDays)}");
        }
        if (parse.GetValue(storeLog) < 1)
        {
            throw new ArgumentException($"--store-log-mb: expected 1 or more megabytes, got {parse.GetValue(storeLog)}");
        }
        var service = new ServiceOptions(
            parse.GetRequiredValue(model),
            parse.GetRequiredValue(store),
            parse.GetRequiredValue(storeDir),
            parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable(ApiKeyVariable),
            CandidateSources.Parse(parse.GetValue(sources) ?? "", new CandidateSources(Network: parse.GetValue(candidates))),
            IngestKey: parse.GetValue(ingestKey) ?? Environment.GetEnvironmentVariable(IngestKeyVariable),
            RequestsPerSecondPerClient: parse.GetValue(rateLimit),
            MaxUsers: parse.GetValue(maxUsers),
            IdleDays: parse.GetValue(idleDays),
            StoreLogMegabytes: parse.GetValue(storeLog),
            Acknowledge: parse.GetValue(acknowledge),
            FixedTime: FixedTime(parse.GetValue(now), parse.GetValue(history)));
        _ = service.EventStore;
        if (service.Store != ServiceOptions.Embedded)
        {
            _ = service.RedisConfiguration;
        }
        return new Arguments(service, parse.GetRequiredValue(urls), parse.GetValue(history));
    }

    /// <summary>The clock --now asks for, or null for the system's.</summary>
    internal static long? FixedTime(string? now, string? history)
    {
        if (now is null)
        {
            return null;
        }
        long time;
        if (now == HistoryEnd)
        {
            time = history is null
                ? throw new ArgumentException($"--now {HistoryEnd}: needs --history DATA")
                : DatasetManifest.Read(Path.Combine(history, DatasetManifest.FileName)).EndTime + 1;
        }
        else if (long.TryParse(now, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            time = seconds;
        }
        else
        {
            time = DateTimeOffset.TryParse(now, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment)
                ? moment.ToUnixTimeSeconds()
                : throw new ArgumentException($"--now: expected Unix seconds, an ISO-8601 time or {HistoryEnd}, got '{now}'");
        }
        return time is < ServiceOptions.EarliestTime or > ServiceOptions.LatestTime
            ? throw new ArgumentException($"--now: must be from {ServiceOptions.EarliestTime} (1990) to {ServiceOptions.LatestTime} (2200), got {time}")
            : time;
    }

    protected override async Task<int> RunAsync(Arguments arguments, CancellationToken cancellation)
    {
        var options = arguments.Service;
        await using var app = await ServiceHost.BuildAsync(options, builder =>
        {
            builder.WebHost.UseUrls(arguments.Urls);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        }, cancellation);
        if (arguments.History is { } data)
        {
            var loaded = await ServiceHistory.LoadAsync(app, data, p => ProgressLog.Line(string.Create(CultureInfo.InvariantCulture, $"history: {p.Users:N0} of {p.TotalUsers:N0} users, {p.Events:N0} events ({p.EventsPerSecond:N0} events/s)")), cancellation);
            ProgressLog.Line(string.Create(CultureInfo.InvariantCulture, $"history: {loaded.Events:N0} events of {loaded.LoadedUsers:N0} users stored in {loaded.Elapsed.TotalSeconds:F1} s ({loaded.EventsPerSecond:N0} events/s); {loaded.KeptUsers:N0} users already in the store kept as they were{Skipped(loaded)}"));
        }
        await app.StartAsync(cancellation);
        var clock = options.FixedTime is { } fixedTime ? $"; clock fixed at {DateTimeOffset.FromUnixTimeSeconds(fixedTime):u} ({fixedTime})" : "";
        ProgressLog.Line($"funnel serve: {options.ModelFolder} on {string.Join(", ", app.Urls)}, sources {options.CandidateSources}, store {(options.Store == ServiceOptions.Embedded ? $"{options.Store} in {Path.GetFullPath(options.StoreFolder)}" : options.RedisConfiguration.ToString(includePassword: false))}{clock}; Ctrl+C stops");
        await app.WaitForShutdownAsync(cancellation);
        return ExitCodes.Success;
    }

    private static string Skipped(HistoryLoadResult loaded) =>
        (loaded.UnknownVideoEvents > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {loaded.UnknownVideoEvents:N0} events of videos the model does not know skipped") : "")
        + (loaded.TrimmedEvents > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {loaded.TrimmedEvents:N0} events older than a user's last {RedisEventStore.MaxEventsPerUser:N0} not stored") : "");
}

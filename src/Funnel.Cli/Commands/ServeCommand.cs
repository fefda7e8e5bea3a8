using System.CommandLine;
using Funnel.Cli.Hosting;
using Funnel.Serving;
using Funnel.Serving.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Funnel.Cli.Commands;

/// <summary>funnel serve: the recommendation service over HTTP until stopped (Ctrl+C, SIGTERM).</summary>
internal static class ServeCommand
{
    /// <summary>The environment variable that can carry the reload API key (so it stays out of process listings).</summary>
    public const string ApiKeyVariable = "FUNNEL_API_KEY";

    public static Command Create()
    {
        var defaults = new ServiceOptions("");
        var model = CommonOptions.RequiredPath("--model", "Model folder with candidates, index and ranker (funnel train candidates, then funnel train ranking)");
        var urls = new Option<string>("--urls") { Description = "Where to listen (loopback unless told otherwise)", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var store = new Option<string>("--store") { Description = "embedded (a Garnet in the process, no set-up) or redis://HOST:PORT for an external Garnet or Redis", DefaultValueFactory = _ => ServiceOptions.Embedded };
        var storeDir = new Option<string>("--store-dir") { Description = "Where the embedded store keeps its append-only file", DefaultValueFactory = _ => defaults.StoreFolder };
        var apiKey = new Option<string?>("--api-key") { Description = $"Key for POST /admin/models/reload (or set {ApiKeyVariable}); without one, reloads are refused" };
        var candidates = new Option<int>("--candidates") { Description = "Candidates retrieved and ranked per request", DefaultValueFactory = _ => defaults.CandidateCount };
        var command = new Command("serve", "The recommendation service: POST /v1/recommendations, POST /v1/events, /healthz, /readyz, /metrics, /openapi/v1.json, POST /admin/models/reload")
        {
            model, urls, store, storeDir, apiKey, candidates,
        };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            if (parse.GetValue(candidates) is < 1 or > ServiceOptions.MaxK)
            {
                throw new ArgumentException($"--candidates: expected 1 to {ServiceOptions.MaxK}, got {parse.GetValue(candidates)}");
            }
            var options = new ServiceOptions(
                parse.GetValue(model)!,
                parse.GetValue(store)!,
                parse.GetValue(storeDir)!,
                parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable(ApiKeyVariable),
                parse.GetValue(candidates));
            await using var app = await ServiceHost.BuildAsync(options, builder =>
            {
                builder.WebHost.UseUrls(parse.GetValue(urls)!);
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
            }, cancellation);
            await app.StartAsync(cancellation);
            ProgressLog.Line($"funnel serve: {options.ModelFolder} on {string.Join(", ", app.Urls)}, store {options.Store}{(options.Store == ServiceOptions.Embedded ? $" in {Path.GetFullPath(options.StoreFolder)}" : "")}; Ctrl+C stops");
            await app.WaitForShutdownAsync(cancellation);
            return ExitCodes.Success;
        }));
        return command;
    }
}

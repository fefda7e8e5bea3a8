using System.Net;
using System.Net.Http.Json;
using Funnel.Serving.Api;
using Funnel.Serving.Contracts;

namespace Funnel.Serving.Tests.Api;

[Collection(ServingTests.Name)]
public sealed class OperationsApiTests(ServedModel served)
{
    [Fact]
    public async Task Health_readiness_metrics_and_the_openapi_document_answer()
    {
        await using var service = await served.StartAsync();
        await service.PostAsync("/v1/recommendations", new RecommendationRequest("u-metrics"));

        var health = await service.Client.GetAsync("/healthz");
        var ready = await service.Client.GetAsync("/readyz");
        var metrics = await service.Client.GetStringAsync("/metrics");
        var openapi = await service.Client.GetStringAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("modelVersion", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var name in new[] { "funnel_requests_total{endpoint=\"recommendations\",status=\"200\"}", "funnel_stage_seconds_bucket{stage=\"retrieval\"", "funnel_model_info{version=", "funnel_slates_total", "funnel_slate_items_total{source=\"candidates\"}", "funnel_uploads" })
        {
            Assert.Contains(name, metrics, StringComparison.Ordinal);
        }
        foreach (var path in new[] { "/v1/recommendations", "/v1/events", "/admin/models/reload", "/healthz", "/readyz" })
        {
            Assert.Contains($"\"{path}\"", openapi, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_openapi_document_declares_the_keys_and_never_echoes_the_host_header()
    {
        await using var service = await ServedModel.StartAsync(new ServiceOptions(served.Model, StoreFolder: served.NewFolder("store"), ApiKey: "a", IngestKey: "i"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Host = "attacker.example";

        var document = System.Text.Json.Nodes.JsonNode.Parse(await (await service.Client.SendAsync(request)).Content.ReadAsStringAsync())!;

        Assert.DoesNotContain("attacker.example", document.ToJsonString(), StringComparison.Ordinal);
        var schemes = document["components"]!["securitySchemes"]!;
        Assert.Equal(("apiKey", "header", "X-Api-Key"), ((string?)schemes["adminKey"]!["type"], (string?)schemes["adminKey"]!["in"], (string?)schemes["adminKey"]!["name"]));
        Assert.Equal("X-Ingest-Key", (string?)schemes["ingestKey"]!["name"]);
        Assert.NotNull(document["paths"]!["/admin/models/reload"]!["post"]!["security"]![0]!["adminKey"]);
        Assert.NotNull(document["paths"]!["/v1/events"]!["post"]!["security"]![0]!["ingestKey"]);
        Assert.Null(document["paths"]!["/v1/recommendations"]!["post"]!["security"]);
    }

    [Fact]
    public async Task Reloading_needs_the_api_key_and_a_bad_folder_leaves_the_old_model_serving()
    {
        await using var service = await served.StartAsync(apiKey: "s3cret");
        var before = (await (await service.PostAsync("/v1/recommendations", new RecommendationRequest("u-reload"))).Content.ReadFromJsonAsync<RecommendationResponse>())!.ModelVersion;
        var broken = served.NewFolder("broken");
        Directory.CreateDirectory(broken);

        var anonymous = await service.PostJsonAsync("/admin/models/reload", "{}");
        var wrongKey = await Send(service, "wrong", "{}");
        var refused = await Send(service, "s3cret", $"{{\"path\": {System.Text.Json.JsonSerializer.Serialize(broken)}}}");
        var stillServing = (await (await service.PostAsync("/v1/recommendations", new RecommendationRequest("u-reload"))).Content.ReadFromJsonAsync<RecommendationResponse>())!.ModelVersion;
        var swapped = await Send(service, "s3cret", $"{{\"path\": {System.Text.Json.JsonSerializer.Serialize(served.OtherModel)}}}");
        var after = (await (await service.PostAsync("/v1/recommendations", new RecommendationRequest("u-reload"))).Content.ReadFromJsonAsync<RecommendationResponse>())!.ModelVersion;

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("model.json", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, stillServing);
        Assert.Equal(HttpStatusCode.OK, swapped.StatusCode);
        Assert.Equal((await swapped.Content.ReadFromJsonAsync<ReloadResponse>())!.ModelVersion, after);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task Without_a_configured_key_reloads_are_forbidden()
    {
        await using var service = await served.StartAsync(apiKey: null);

        var response = await Send(service, "anything", "{}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Requests_in_flight_during_hot_swaps_all_succeed()
    {
        await using var service = await served.StartAsync(apiKey: "k");
        using var stop = new CancellationTokenSource();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        var load = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var response = await service.PostAsync("/v1/recommendations", new RecommendationRequest($"u-swap-{worker}-{i % 5}", 10));
                statuses.Add(response.StatusCode);
            }
        })).ToList();

        var reloads = new List<HttpStatusCode>();
        foreach (var folder in new[] { served.OtherModel, served.Model, served.OtherModel, served.Model })
        {
            reloads.Add((await Send(service, "k", $"{{\"path\": {System.Text.Json.JsonSerializer.Serialize(folder)}}}")).StatusCode);
        }
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.All(reloads, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.NotEmpty(statuses);
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    private static async Task<HttpResponseMessage> Send(RunningService service, string key, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/models/reload") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(AdminEndpoints.ApiKeyHeader, key);
        return await service.Client.SendAsync(request);
    }
}

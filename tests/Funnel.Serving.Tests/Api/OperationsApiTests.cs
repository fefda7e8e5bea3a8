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
        foreach (var name in new[] { "funnel_requests_total{endpoint=\"recommendations\",status=\"200\"}", "funnel_stage_seconds_bucket{stage=\"retrieval\"", "funnel_model_info{version=", "funnel_slates_total" })
        {
            Assert.Contains(name, metrics, StringComparison.Ordinal);
        }
        foreach (var path in new[] { "/v1/recommendations", "/v1/events", "/admin/models/reload", "/healthz", "/readyz" })
        {
            Assert.Contains($"\"{path}\"", openapi, StringComparison.Ordinal);
        }
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

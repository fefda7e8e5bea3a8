using System.Net;
using System.Net.Http.Json;
using System.Text;
using Funnel.Serving.Api;
using Funnel.Serving.Contracts;
using Funnel.Serving.Store;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Funnel.Serving.Tests.Api;

/// <summary>What a client that is not the service's own must not be able to do.</summary>
[Collection(ServingTests.Name)]
public sealed class AbuseLimitsTests(ServedModel served)
{
    private static readonly EventBatch Search = new("u-abuse", [new EventRequest("search", Query: "cats", Time: 1_700_000_000)]);

    [Fact]
    public async Task With_an_ingestion_key_events_need_it()
    {
        await using var service = await ServedModel.StartAsync(new ServiceOptions(served.Model, StoreFolder: served.NewFolder("store"), IngestKey: "ingest-secret"));

        var without = await service.PostAsync("/v1/events", Search);
        var wrong = await Send(service, "nope");
        var right = await Send(service, "ingest-secret");

        await ProblemAssert.IsProblemAsync(without, HttpStatusCode.Unauthorized, "X-Ingest-Key header is required");
        await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.Forbidden, "X-Ingest-Key key is not valid");
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Theory]
    [InlineData("/v1/events", null)] // no Content-Type at all: what a cross-site fetch may send without a preflight
    [InlineData("/v1/events", "text/plain")] // a cross-site form's or fetch's simple type
    [InlineData("/v1/recommendations", null)]
    [InlineData("/v1/recommendations", "application/x-www-form-urlencoded")]
    public async Task A_body_that_is_not_declared_json_is_refused_and_nothing_is_stored(string path, string? contentType)
    {
        await using var service = await served.StartAsync();
        var body = new ByteArrayContent(Encoding.UTF8.GetBytes(path == "/v1/events" ? """{"userId":"u-form","events":[{"type":"search","query":"cats"}]}""" : """{"userId":"u-form"}"""));
        if (contentType is not null)
        {
            body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        var response = await service.Client.PostAsync(path, body);
        var after = await (await service.PostAsync("/v1/recommendations", new RecommendationRequest("u-form", Debug: true))).Content.ReadFromJsonAsync<RecommendationResponse>();

        // Routing refuses a declared non-JSON type itself; the body reader refuses a missing one, naming it.
        await ProblemAssert.IsStatusProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        if (contentType is null)
        {
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "(no Content-Type)");
        }
        Assert.Equal(0, after!.Debug!.Events);
    }

    [Fact]
    public async Task A_client_over_its_rate_gets_429_with_retry_after_and_probes_are_not_limited()
    {
        await using var service = await ServedModel.StartAsync(new ServiceOptions(served.Model, StoreFolder: served.NewFolder("store"), RequestsPerSecondPerClient: 2));

        // A bucket of 2 refilled by 2 a second: of 6 requests sent at once at most 4 pass.
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => service.PostAsync("/v1/recommendations", new RecommendationRequest("u-flood"))));
        var probes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => service.Client.GetAsync("/readyz")));

        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "429 without Retry-After"));
        await ProblemAssert.IsProblemAsync(refused[0], HttpStatusCode.TooManyRequests, "requests per second per client");
        Assert.All(probes, p => Assert.Equal(HttpStatusCode.OK, p.StatusCode));
    }

    [Fact]
    public async Task The_embedded_store_answers_no_client_without_its_password()
    {
        using var garnet = EmbeddedGarnet.Start(served.NewFolder("store"));
        using var stranger = await ConnectionMultiplexer.ConnectAsync(StoreAddress.Options($"unix://{garnet.SocketPath},abortConnect=false,connectTimeout=2000"));
        using var owner = await ConnectionMultiplexer.ConnectAsync(garnet.Connection);

        await Assert.ThrowsAnyAsync<RedisException>(() => stranger.GetDatabase().StringSetAsync("intruder", "1"));
        Assert.True(await owner.GetDatabase().StringSetAsync("owner", "1"));
    }

    [Fact]
    public async Task An_unhandled_failure_is_a_500_counted_in_the_service_metrics()
    {
        await using var service = await ServedModel.StartAsync(
            new ServiceOptions(served.Model, StoreFolder: served.NewFolder("store")),
            builder => builder.Services.AddSingleton<IEventStore>(new BrokenStore()));
        var before = ServiceMetrics.Errors.WithLabels("recommendations").Value;

        var response = await service.PostAsync("/v1/recommendations", new RecommendationRequest("u-broken"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(before + 1, ServiceMetrics.Errors.WithLabels("recommendations").Value);
    }

    [Fact]
    public async Task Invented_http_methods_are_refused_and_leave_no_label_in_the_metrics()
    {
        await using var service = await served.StartAsync();

        var responses = await Invent(service, 0, 300);
        var metrics = await service.Client.GetStringAsync("/metrics");

        // Each invented method would otherwise be a label value, growing /metrics without bound.
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.MethodNotAllowed, r.StatusCode));
        Assert.DoesNotContain("INVENTED", metrics, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage[]> Invent(RunningService service, int first, int count) =>
        Task.WhenAll(Enumerable.Range(first, count).Select(i => service.Client.SendAsync(new HttpRequestMessage(new HttpMethod($"INVENTED{i}"), "/v1/recommendations"))));

    private static Task<HttpResponseMessage> Send(RunningService service, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = JsonContent.Create(Search) };
        request.Headers.Add(EventEndpoints.IngestKeyHeader, key);
        return service.Client.SendAsync(request);
    }

    /// <summary>A store failing in a way no endpoint expects.</summary>
    private sealed class BrokenStore : IEventStore
    {
        public Task<bool> AppendAsync(string userId, IReadOnlyList<UserEvent> events, string? batchId) => throw new NotSupportedException("broken on purpose");

        public Task<IReadOnlyList<UserEvent>> ReadAsync(string userId) => throw new NotSupportedException("broken on purpose");

        public Task<bool> PingAsync() => Task.FromResult(true);
    }
}

using System.Net;
using Funnel.Serving.Contracts;
using Funnel.Serving.Store;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Funnel.Serving.Tests.Store;

[Collection(ServingTests.Name)]
public sealed class SlowStoreTests(ServedModel served)
{
    /// <summary>A store that never answers in time, as StackExchange.Redis reports it.</summary>
    private sealed class TimingOutStore : IEventStore
    {
        public Task<bool> AppendAsync(string userId, IReadOnlyList<UserEvent> events, string? batchId) => throw new RedisTimeoutException(CommandFlags.None, "Timeout awaiting response", CommandStatus.Sent);

        public Task<IReadOnlyList<UserEvent>> ReadAsync(string userId) => throw new RedisTimeoutException(CommandFlags.None, "Timeout awaiting response", CommandStatus.Sent);

        public Task<bool> PingAsync() => Task.FromResult(true);
    }

    [Fact]
    public async Task A_store_that_times_out_gets_503_problems_not_500s()
    {
        await using var service = await ServedModel.StartAsync(
            new ServiceOptions(served.Model, StoreFolder: served.NewFolder("store")),
            builder => builder.Services.AddSingleton<IEventStore>(new TimingOutStore()));

        var slate = await service.PostAsync("/v1/recommendations", new RecommendationRequest("u-slow"));
        var stored = await service.PostAsync("/v1/events", new EventBatch("u-slow", [new EventRequest("search", Query: "anyone?")]));

        await Api.ProblemAssert.IsProblemAsync(slate, HttpStatusCode.ServiceUnavailable, "the user's state cannot be read");
        await Api.ProblemAssert.IsProblemAsync(stored, HttpStatusCode.ServiceUnavailable, "may or may not be stored");
    }
}

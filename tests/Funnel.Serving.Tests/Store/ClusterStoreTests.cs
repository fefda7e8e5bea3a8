using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Funnel.Serving.Contracts;
using Funnel.Serving.Store;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Funnel.Serving.Tests.Store;

/// <summary>The service on a real Redis Cluster (3 primaries, 3 replicas): shared state across replicas, and a primary's crash survived.</summary>
[Collection(ServingTests.Name)]
[Trait(TestSpeed.Category, TestSpeed.Slow)]
public sealed class ClusterStoreTests(ServedModel served, ITestOutputHelper output)
{
    [Fact]
    public async Task Events_written_through_one_replica_are_read_through_another()
    {
        using var cluster = await LocalRedisCluster.StartAsync();
        var options = new ServiceOptions(served.Model, Store: $"redis://{cluster.Endpoints}");
        await using var first = await ServedModel.StartAsync(options);
        await using var second = await ServedModel.StartAsync(options);
        var videos = File.ReadAllLines(Path.Combine(served.Model, "ranking", "popular.txt"));
        var users = Enumerable.Range(0, 30).Select(i => $"cluster-user-{i}").ToList();

        foreach (var (user, i) in users.Select((u, i) => (u, i)))
        {
            var posted = await first.Client.PostAsJsonAsync("/v1/events", new EventBatch(user, [.. Enumerable.Range(0, 1 + i % 3).Select(j => new EventRequest("watch", videos[(i + j) % videos.Length], WatchSeconds: 60))]));
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }
        var read = new List<int>();
        foreach (var user in users)
        {
            var slate = await (await second.Client.PostAsJsonAsync("/v1/recommendations", new RecommendationRequest(user, Debug: true))).Content.ReadFromJsonAsync<RecommendationResponse>();
            read.Add(slate!.Debug!.Events);
        }

        Assert.Equal(users.Select((_, i) => 1 + i % 3), read);
        // The users' keys spread over the primaries, each user's keys in one slot.
        Assert.Equal(3, users.Select(u => cluster.PrimaryFor(RedisEventStore.Key(u).ToString())).Distinct().Count());
    }

    [Fact]
    public async Task The_same_service_shares_a_Garnet_cluster_across_replicas()
    {
        using var cluster = await LocalGarnetCluster.StartAsync();
        var options = new ServiceOptions(served.Model, Store: $"redis://{cluster.Endpoints}");
        await using var first = await ServedModel.StartAsync(options);
        await using var second = await ServedModel.StartAsync(options);
        var video = File.ReadAllLines(Path.Combine(served.Model, "ranking", "popular.txt"))[0];
        var users = Enumerable.Range(0, 20).Select(i => $"garnet-user-{i}").ToList();

        foreach (var user in users)
        {
            Assert.Equal(HttpStatusCode.OK, (await first.Client.PostAsJsonAsync("/v1/events", new EventBatch(user, [new EventRequest("watch", video, WatchSeconds: 30), new EventRequest("search", Query: user)]))).StatusCode);
        }
        var read = new List<int>();
        foreach (var user in users)
        {
            var slate = await (await second.Client.PostAsJsonAsync("/v1/recommendations", new RecommendationRequest(user, Debug: true))).Content.ReadFromJsonAsync<RecommendationResponse>();
            read.Add(slate!.Debug!.Events);
            Assert.DoesNotContain(slate.Items, i => i.VideoId == video);
        }

        Assert.All(read, events => Assert.Equal(2, events));
        Assert.Equal(HttpStatusCode.OK, (await second.Client.GetAsync("/readyz")).StatusCode);
        // Garnet 2.2.8 has no WAIT, so a service that would acknowledge after a replica refuses to start on it.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ServedModel.StartAsync(options with { Acknowledge = Acknowledgement.Replica }));
        Assert.Contains("--acknowledge replica", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_Garnet_cluster_the_operators_failover_brings_a_lost_primarys_users_back()
    {
        using var cluster = await LocalGarnetCluster.StartAsync(replicas: true);
        var options = new ServiceOptions(served.Model, Store: $"redis://{cluster.Endpoints}");
        await using var service = await ServedModel.StartAsync(options);
        var users = new List<string>();
        for (var i = 0; users.Count < 5; i++)
        {
            if (await cluster.OnFirstPrimaryAsync(RedisEventStore.Key($"garnet-failover-{i}").ToString()))
            {
                users.Add($"garnet-failover-{i}");
            }
        }
        foreach (var user in users)
        {
            var posted = await service.Client.PostAsJsonAsync("/v1/events", new EventBatch(user, [new EventRequest("search", Query: "before")]));
            Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        }
        // Garnet ships its append-only file to replicas asynchronously and has no WAIT: the failover keeps what reached the replica.
        await cluster.WaitForReplicaAsync(0, [.. users.Select(u => RedisEventStore.Key(u).ToString())]);

        cluster.Stop(0);
        var whileLost = await service.Client.PostAsJsonAsync("/v1/recommendations", new RecommendationRequest(users[0]));
        await cluster.FailOverToReplicaOfAsync(0);
        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            await Task.Delay(200);
            status = (await service.Client.PostAsJsonAsync("/v1/recommendations", new RecommendationRequest(users[0]))).StatusCode;
        }
        while (status != HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(30));
        output.WriteLine($"served again {clock.Elapsed.TotalSeconds:F1} s after the operator's failover");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileLost.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status);
        foreach (var user in users)
        {
            // Each user's slot answers once the cluster has converged on the new primary, which on a
            // busy machine can come a little after the first user's.
            HttpResponseMessage response;
            do
            {
                response = await service.Client.PostAsJsonAsync("/v1/recommendations", new RecommendationRequest(user, Debug: true));
            }
            while (response.StatusCode != HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(60) && await Delay());
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{user}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var slate = await response.Content.ReadFromJsonAsync<RecommendationResponse>();
            Assert.Equal(1, slate!.Debug!.Events);
        }

        static async Task<bool> Delay()
        {
            await Task.Delay(200);
            return true;
        }
    }

    [Fact]
    public async Task After_a_primary_is_killed_the_service_answers_again_and_keeps_every_event_a_replica_acknowledged()
    {
        using var cluster = await LocalRedisCluster.StartAsync();
        var options = new ServiceOptions(served.Model, Store: $"redis://{cluster.Endpoints}", Acknowledge: Acknowledgement.Replica, RequestsPerSecondPerClient: 0);
        await using var service = await ServedModel.StartAsync(options);
        var users = Enumerable.Range(0, 24).Select(i => $"failover-user-{i}").ToList();
        var victim = cluster.PrimaryFor(RedisEventStore.Key(users[0]).ToString());
        var onVictim = users.Where(u => cluster.PrimaryFor(RedisEventStore.Key(u).ToString()) == victim).ToList();
        var acknowledged = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        var refused = 0;
        var clock = Stopwatch.StartNew();
        var killedAt = TimeSpan.MaxValue;
        var restartedAt = TimeSpan.MaxValue;
        TimeSpan? readAgain = null;
        TimeSpan? writtenAgain = null;
        using var stop = new CancellationTokenSource();

        // A batch retried with its key is confirmed by a replica again, not stored twice.
        var replies = new List<EventsAccepted?>();
        foreach (var _ in new[] { 1, 2 })
        {
            using var keyed = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = JsonContent.Create(new EventBatch(users[1], [new EventRequest("search", Query: "keyed")])) };
            keyed.Headers.Add(Serving.Api.EventEndpoints.IdempotencyKeyHeader, "keyed-batch");
            replies.Add(await (await service.Client.SendAsync(keyed)).Content.ReadFromJsonAsync<EventsAccepted>());
        }
        Assert.Equal([new EventsAccepted(1), new EventsAccepted(1, Replayed: true)], replies);
        acknowledged.GetOrAdd(users[1], _ => []).Add("keyed");

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var user = users[(w + 4 * n) % users.Count];
                var query = $"w{w}-n{n}";
                var sent = clock.Elapsed;
                var response = await service.Client.PostAsJsonAsync("/v1/events", new EventBatch(user, [new EventRequest("search", Query: query)]));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    acknowledged.GetOrAdd(user, _ => []).Add(query);
                    if (sent > restartedAt && onVictim.Contains(user))
                    {
                        writtenAgain ??= clock.Elapsed - restartedAt;
                    }
                }
                else
                {
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                    Interlocked.Increment(ref refused);
                }
            }
        })).ToList();
        var reader = Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var sent = clock.Elapsed;
                var response = await service.Client.PostAsJsonAsync("/v1/recommendations", new RecommendationRequest(onVictim[n % onVictim.Count]));
                if (response.StatusCode == HttpStatusCode.OK && sent > killedAt)
                {
                    readAgain ??= clock.Elapsed - killedAt;
                }
                await Task.Delay(20);
            }
        });
        await Task.Delay(1_000);
        var beforeKill = acknowledged.Values.Sum(b => b.Count);
        killedAt = clock.Elapsed;
        cluster.Kill(victim);
        await WaitAsync(() => readAgain is not null);
        // As an operator's supervisor would: the node comes back, as the replica of the one that took over.
        restartedAt = clock.Elapsed;
        cluster.Restart(victim);
        await WaitAsync(() => writtenAgain is not null);
        await stop.CancelAsync();
        await Task.WhenAll([.. writers, reader]);
        output.WriteLine($"acknowledged {beforeKill} before the kill, {acknowledged.Values.Sum(b => b.Count)} in all; refused {refused}; the killed primary's users were served again {readAgain?.TotalSeconds:F1} s after the kill, their events acknowledged again {writtenAgain?.TotalSeconds:F1} s after the node's restart");

        Assert.True(beforeKill > 0);
        Assert.True(readAgain < TimeSpan.FromSeconds(20), $"served again after {readAgain?.TotalSeconds:F1} s");
        Assert.NotNull(writtenAgain);
        using var connection = await ConnectionMultiplexer.ConnectAsync(cluster.Endpoints);
        var store = new RedisEventStore(connection, RetentionPolicy.Unbounded, TimeProvider.System, options: new EventStoreOptions(Shared: true));
        foreach (var (user, queries) in acknowledged)
        {
            var stored = (await store.ReadAsync(user)).Select(e => e.Query).ToList();
            Assert.All(queries, q => Assert.Contains(q, stored));
        }
        Assert.Single(await store.ReadAsync(users[1]), e => e.Query == "keyed");
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }
    }
}

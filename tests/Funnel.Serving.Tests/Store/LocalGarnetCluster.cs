using System.Diagnostics;
using System.Globalization;
using Garnet;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Funnel.Serving.Tests.Store;

/// <summary>
/// A Garnet cluster in the test process (Microsoft.Garnet's server with <c>--cluster</c>): three
/// primaries on loopback, each owning a third of the 16,384 slots, and optionally a replica each
/// (<c>--aof</c>, <c>CLUSTER REPLICATE</c>), introduced to each other with <c>CLUSTER MEET</c>, as an
/// operator sets one up (Garnet has no <c>--cluster create</c> and no automatic failover).
/// </summary>
public sealed class LocalGarnetCluster : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("funnel-garnet-cluster-").FullName;
    private readonly List<(int Port, GarnetServer Server)> nodes = [];
    private readonly HashSet<int> stopped = [];

    private LocalGarnetCluster()
    {
    }

    /// <summary>The StackExchange.Redis configuration naming every node.</summary>
    public string Endpoints => string.Join(",", nodes.Select(n => $"127.0.0.1:{n.Port}"));

    /// <summary>Starts three primaries (and a replica of each) and joins them; returns once every node serves all slots and every replica is in sync.</summary>
    public static async Task<LocalGarnetCluster> StartAsync(bool replicas = false)
    {
        var cluster = new LocalGarnetCluster();
        try
        {
            for (var i = 0; i < (replicas ? 6 : 3); i++)
            {
                var port = NodePort();
                var server = new GarnetServer(
                [
                    "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--cluster",
                    "--checkpointdir", Path.Combine(cluster.folder, $"node-{i}"), "--device-type", "RandomAccess", "-q",
                    // A replica's first sync (checkpoint, send, recover) past Garnet's 5 s limit turns it
                    // back into a primary; three at once on a busy 2-core machine can take longer.
                    .. replicas ? new[] { "--aof", "--repl-sync-timeout", "60" } : [],
                ], NullLoggerFactory.Instance);
                server.Start();
                cluster.nodes.Add((port, server));
            }
            for (var i = 0; i < 3; i++)
            {
                var (from, to) = (i * 16_384 / 3, ((i + 1) * 16_384 / 3) - 1);
                await cluster.ExecuteAsync(i, "CLUSTER", "ADDSLOTSRANGE", from, to);
            }
            for (var i = 1; i < cluster.nodes.Count; i++)
            {
                await cluster.ExecuteAsync(0, "CLUSTER", "MEET", "127.0.0.1", cluster.nodes[i].Port);
            }
            await WaitAsync(cluster.JoinedAsync, "the Garnet nodes to see each other");
            for (var i = 3; i < cluster.nodes.Count; i++)
            {
                var primary = (string)(await cluster.ExecuteAsync(i - 3, "CLUSTER", "MYID"))!;
                // SYNC: the reply comes after the replica's first sync, or with its error (without it
                // the sync runs in the background and a failure silently makes the node a primary again).
                await cluster.ExecuteAsync(i, "CLUSTER", "REPLICATE", primary, "SYNC");
            }
            for (var i = 3; i < cluster.nodes.Count; i++)
            {
                var replica = i;
                await WaitAsync(
                    async () =>
                    {
                        try
                        {
                            return await cluster.IsReplicaAsync(replica);
                        }
                        catch (RedisConnectionException)
                        {
                            // A node loading a replica's checkpoint can be slow to take a connection.
                            return false;
                        }
                    },
                    $"node {i} to be an in-sync replica that every node knows");
            }
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>The first primary (0–2), which owns the first third of the slots, owns <paramref name="key"/>'s slot.</summary>
    public async Task<bool> OnFirstPrimaryAsync(string key) =>
        (long)await ExecuteAsync(1, "CLUSTER", "KEYSLOT", key) < 16_384 / 3;

    /// <summary>Stops a node at once, as its machine's loss would (in-process: the server shuts down).</summary>
    public void Stop(int node)
    {
        nodes[node].Server.Dispose();
        stopped.Add(node);
    }

    /// <summary>Waits until the replica of <paramref name="primary"/> holds every key: Garnet ships its append-only file to replicas asynchronously and has no WAIT.</summary>
    public async Task WaitForReplicaAsync(int primary, IReadOnlyCollection<string> keys)
    {
        var port = nodes[primary + 3].Port;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { { "127.0.0.1", port } }, AllowAdmin = true, AsyncTimeout = AdminTimeoutMs });
        var replica = connection.GetServer("127.0.0.1", port);
        await replica.ExecuteAsync("READONLY");
        await WaitAsync(
            async () =>
            {
                foreach (var key in keys)
                {
                    if ((long)await replica.ExecuteAsync("EXISTS", key) == 0)
                    {
                        return false;
                    }
                }
                return true;
            },
            $"the replica of primary {primary} to hold {keys.Count} keys");
    }

    /// <summary>What an operator does when a primary is lost: its replica takes over its slots (<c>CLUSTER FAILOVER TAKEOVER</c>, as the primary cannot take part).</summary>
    public Task FailOverToReplicaOfAsync(int primary) => ExecuteAsync(primary + 3, "CLUSTER", "FAILOVER", "TAKEOVER");

    public void Dispose()
    {
        foreach (var (node, (_, server)) in nodes.Index())
        {
            if (!stopped.Contains(node))
            {
                server.Dispose();
            }
        }
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>
    /// The node is a replica of its primary with its sync done, its primary counts it, and every
    /// node's view shows it so (<c>master_link_status</c> only tells the gossip link is up).
    /// </summary>
    private async Task<bool> IsReplicaAsync(int replica)
    {
        var primary = replica - 3;
        var own = (string)(await ExecuteAsync(replica, "INFO", "replication"))!;
        if (!own.Contains("role:slave", StringComparison.Ordinal) || !own.Contains($"master_port:{nodes[primary].Port}", StringComparison.Ordinal) || !own.Contains("master_sync_in_progress:False", StringComparison.OrdinalIgnoreCase)
            || !((string)(await ExecuteAsync(primary, "INFO", "replication"))!).Contains("connected_slaves:1", StringComparison.Ordinal))
        {
            return false;
        }
        var primaryId = (string)(await ExecuteAsync(primary, "CLUSTER", "MYID"))!;
        var replicaId = (string)(await ExecuteAsync(replica, "CLUSTER", "MYID"))!;
        for (var i = 0; i < nodes.Count; i++)
        {
            var view = ((string)(await ExecuteAsync(i, "CLUSTER", "NODES"))!).Split('\n').FirstOrDefault(line => line.StartsWith(replicaId, StringComparison.Ordinal));
            if (view is null || !view.Contains($"slave {primaryId}", StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Every node knows every node, and three primaries covering the slots.</summary>
    private async Task<bool> JoinedAsync()
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            var lines = ((string)(await ExecuteAsync(i, "CLUSTER", "NODES"))!).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length != nodes.Count || lines.Count(line => line.Contains("master", StringComparison.Ordinal) && line.Split(' ').Length > 8) != 3)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// A free port below the kernel's ephemeral range. Garnet's listener shares its port with any
    /// other Garnet's (ReuseAddress is SO_REUSEPORT on Linux): a port asked free from that range could
    /// be taken meanwhile by a store listening on port 0 (the embedded ones) and then shared. The kernel
    /// never hands out ports below its range, so only another fixture could pick the same one.
    /// </summary>
    private static int NodePort()
    {
        var low = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
        while (true)
        {
            var port = Random.Shared.Next(low / 2, low);
            try
            {
                using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (System.Net.Sockets.SocketException)
            {
                // Taken: another.
            }
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"waited 30 s for {what}");
            }
            await Task.Delay(100);
        }
    }

    // The set-up's CLUSTER commands took over 5 s (the client's default) once in CI, with the suite's
    // other servers busy on both cores, and REPLICATE ... SYNC waits for the replicas' 60 s sync limit.
    private const int AdminTimeoutMs = 90_000;

    /// <summary>A command to one node alone.</summary>
    private async Task<RedisResult> ExecuteAsync(int node, string command, params object[] arguments)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { { "127.0.0.1", nodes[node].Port } }, AllowAdmin = true, AsyncTimeout = AdminTimeoutMs, ConnectTimeout = AdminTimeoutMs });
        return await connection.GetServer("127.0.0.1", nodes[node].Port).ExecuteAsync(command, arguments);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Funnel.Serving.Tests.Store;

/// <summary>
/// A real Redis Cluster on loopback for the tests: six <c>redis-server</c> processes (Debian's
/// package, which <c>.ci/run</c> installs), three primaries and three replicas, as
/// <c>deploy/local-cluster.sh</c> starts them; each node can be killed with SIGKILL.
/// </summary>
public sealed class LocalRedisCluster : IDisposable
{
    /// <summary>How long a node may be unreachable before its replica takes over (cluster-node-timeout).</summary>
    public const int NodeTimeoutMilliseconds = 2_000;

    private readonly string folder = Directory.CreateTempSubdirectory("funnel-redis-cluster-").FullName;
    private readonly Dictionary<int, Process> nodes = [];

    private LocalRedisCluster()
    {
    }

    /// <summary>The nodes' ports.</summary>
    public IReadOnlyList<int> Ports => [.. nodes.Keys.Order()];

    /// <summary>The StackExchange.Redis configuration naming every node.</summary>
    public string Endpoints => string.Join(",", Ports.Select(p => $"127.0.0.1:{p}"));

    /// <summary>Starts six nodes and makes them one cluster with a replica per primary; returns once every slot is served.</summary>
    public static async Task<LocalRedisCluster> StartAsync()
    {
        var cli = Which("redis-cli");
        var cluster = new LocalRedisCluster();
        try
        {
            foreach (var port in FreePorts(6))
            {
                Directory.CreateDirectory(cluster.Folder(port));
                cluster.StartNode(port);
            }
            foreach (var port in cluster.Ports)
            {
                await WaitForAsync(() => Run(cli, "-p", port.ToString(CultureInfo.InvariantCulture), "ping").Trim() == "PONG", $"redis-server on port {port} to answer");
            }
            Run(cli, [.. new[] { "--cluster", "create" }.Concat(cluster.Ports.Select(p => $"127.0.0.1:{p}")), "--cluster-replicas", "1", "--cluster-yes"]);
            foreach (var port in cluster.Ports)
            {
                await WaitForAsync(() => Info(port).Contains("cluster_state:ok", StringComparison.Ordinal), $"node {port} to see every slot served");
            }
            // Slots are served before replicas finish their first sync; an append waiting for a replica needs them.
            await WaitForAsync(() => cluster.Ports.Count(p => Run(cli, "-p", p.ToString(CultureInfo.InvariantCulture), "info", "replication").Contains("state=online", StringComparison.Ordinal)) == 3, "each primary's replica to be in sync");
            return cluster;
        }
        catch (TimeoutException error)
        {
            var logs = string.Join("\n", cluster.Ports.Select(p => $"{p}: " + string.Join(" | ", File.ReadLines(Path.Combine(cluster.Folder(p), "redis.log")).TakeLast(4))));
            cluster.Dispose();
            throw new TimeoutException($"{error.Message}; the nodes' logs end:\n{logs}", error);
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>The ports of the nodes that are primaries now, as a live node sees them.</summary>
    public IReadOnlyList<int> Primaries() =>
        [.. Nodes().Where(n => n.Flags.Contains("master", StringComparison.Ordinal) && !n.Flags.Contains("fail", StringComparison.Ordinal)).Select(n => n.Port)];

    /// <summary>The port of the primary serving <paramref name="key"/>'s slot now.</summary>
    public int PrimaryFor(string key)
    {
        var slot = int.Parse(Run(Which("redis-cli"), "-p", Live().ToString(CultureInfo.InvariantCulture), "cluster", "keyslot", key).Trim(), CultureInfo.InvariantCulture);
        return Nodes().Single(n => n.Flags.Contains("master", StringComparison.Ordinal) && !n.Flags.Contains("fail", StringComparison.Ordinal) && n.Slots.Any(r => r.From <= slot && slot <= r.To)).Port;
    }

    /// <summary>Starts a node again from its folder (its nodes.conf): it rejoins the cluster, as a replica if another node took its place.</summary>
    public void Restart(int port)
    {
        nodes[port].Dispose();
        StartNode(port);
    }

    private void StartNode(int port) =>
        nodes[port] = Process.Start(new ProcessStartInfo(Which("redis-server"))
        {
            ArgumentList =
            {
                "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", Folder(port),
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", NodeTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture),
                "--appendonly", "yes", "--save", "", "--logfile", "redis.log",
            },
        })!;

    private string Folder(int port) => Path.Combine(folder, port.ToString(CultureInfo.InvariantCulture));

    /// <summary>Kills a node with SIGKILL, as a crash would.</summary>
    public void Kill(int port)
    {
        nodes[port].Kill();
        nodes[port].WaitForExit();
    }

    /// <summary>The <c>CLUSTER INFO</c> of one node.</summary>
    public static string Info(int port) => Run(Which("redis-cli"), "-p", port.ToString(CultureInfo.InvariantCulture), "cluster", "info");

    public void Dispose()
    {
        foreach (var node in nodes.Values)
        {
            if (!node.HasExited)
            {
                node.Kill();
                node.WaitForExit();
            }
            node.Dispose();
        }
        Directory.Delete(folder, recursive: true);
    }

    private int Live() => nodes.First(n => !n.Value.HasExited).Key;

    private List<(int Port, string Flags, List<(int From, int To)> Slots)> Nodes() =>
        [.. Run(Which("redis-cli"), "-p", Live().ToString(CultureInfo.InvariantCulture), "cluster", "nodes")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Select(f => (
                int.Parse(f[1].Split('@')[0].Split(':')[1], CultureInfo.InvariantCulture),
                f[2],
                f.Skip(8).Where(r => !r.StartsWith('[')).Select(r => r.Split('-')).Select(r => (int.Parse(r[0], CultureInfo.InvariantCulture), int.Parse(r[^1], CultureInfo.InvariantCulture))).ToList()))];

    /// <summary>Ports free on loopback for a node and its cluster bus (the port + 10,000).</summary>
    private static List<int> FreePorts(int count)
    {
        var ports = new List<int>();
        for (var port = 21_000 + (Environment.ProcessId % 500) * 10; ports.Count < count; port++)
        {
            if (Free(port) && Free(port + 10_000))
            {
                ports.Add(port);
            }
        }
        return ports;
    }

    private static bool Free(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!Holds(condition))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"waited 30 s for {what}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Whether the condition holds now; a node not answering yet (redis-cli failing) is a no.</summary>
    private static bool Holds(Func<bool> condition)
    {
        try
        {
            return condition();
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{program} is not installed: the cluster tests need Debian's redis-server package (apt-get install redis-server, as .ci/run and deploy/local-cluster.sh install do)");

    private static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors}{output}");
    }
}

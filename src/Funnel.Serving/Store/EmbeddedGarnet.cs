using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Garnet;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Funnel.Serving.Store;

/// <summary>
/// A Garnet server inside the process, persisting to <c>folder</c>: every write is appended to the
/// append-only file and the reply waits for its commit (fsync), so an acknowledged write survives
/// kill -9; on start the file is replayed, and a replay Garnet reports as failed is kept as
/// <see cref="RecoveryFailure"/>. The storage tier's default native device needs a newer glibc than
/// Debian 12's, so the portable RandomAccess device is used.
/// </summary>
/// <remarks>
/// The process reaches it through a Unix socket in a folder only its user can enter, never a TCP
/// port: Garnet's listener sets ReuseAddress, which .NET on Linux makes SO_REUSEPORT, so two Garnets
/// given the same port both bind it and the kernel deals connections between them. A port asked
/// free and bound a moment later could be another process's Garnet too, and then writes went to
/// the wrong server, acknowledged and lost to this store (seen as a whole run's events missing
/// after a restart). Garnet also always listens on TCP: on port 0, a port of the kernel's choosing
/// that nothing else holds, behind the password.
/// </remarks>
public sealed class EmbeddedGarnet : IDisposable
{
    private readonly GarnetServer server;
    private readonly ILoggerFactory logging;

    private readonly string password;
    private readonly SocketFolder socketFolder;

    private EmbeddedGarnet(GarnetServer server, ILoggerFactory logging, SocketFolder socketFolder, string password, string? recoveryFailure)
    {
        this.server = server;
        this.logging = logging;
        this.socketFolder = socketFolder;
        this.password = password;
        RecoveryFailure = recoveryFailure;
    }

    /// <summary>
    /// Why the replay of the append-only file did not finish (Garnet's first error while starting),
    /// or null when it replayed everything: a store that recovered less than it acknowledged must not
    /// serve.
    /// </summary>
    public string? RecoveryFailure { get; }

    /// <summary>The Unix socket it listens on.</summary>
    public string SocketPath => Path.Combine(socketFolder.FullName, SocketName);

    /// <summary>Its address as <c>funnel serve --store</c> takes one (the socket and the password).</summary>
    public string Address => $"unix://{SocketPath},password={password},abortConnect=false";

    /// <summary>The StackExchange.Redis configuration for it (a new one each time).</summary>
    public ConfigurationOptions Connection => StoreAddress.Options(Address);

    private const string SocketName = "garnet.sock";

    /// <summary>
    /// How large the append-only file may grow before Garnet takes a checkpoint and truncates it:
    /// this bounds both its size on disk and the replay a restart does (about a second per 100 MB here).
    /// </summary>
    public const long DefaultLogLimitBytes = ServiceOptions.DefaultStoreLogMegabytes << 20;

    /// <summary>
    /// Starts a server persisting to <paramref name="folder"/> (created if needed) on a Unix socket of
    /// its own; past <paramref name="logLimitBytes"/> (rounded down to a power of 2) of append-only file,
    /// a checkpoint replaces it (checked every second), and whole segments of the file are freed.
    /// </summary>
    public static EmbeddedGarnet Start(string folder, long logLimitBytes = DefaultLogLimitBytes) => Start(folder, logLimitBytes, StoreGeometry.Default);

    /// <summary>As <see cref="Start(string, long)"/>; a new store is laid out with <paramref name="fresh"/> (an existing one keeps its own).</summary>
    internal static EmbeddedGarnet Start(string folder, long logLimitBytes, StoreGeometry fresh)
    {
        var root = Directory.CreateDirectory(folder).FullName;
        var geometry = StoreGeometry.For(root, fresh);
        // A new random password every start: any process on the machine can reach a loopback port,
        // and only this process should read or write its users' events.
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var socketFolder = SocketFolder.Create();
        string[] arguments =
        [
            "--bind", "127.0.0.1",
            "--port", "0",
            "--unixsocket", Path.Combine(socketFolder.FullName, SocketName),
            "--unixsocketperm", "700",
            "--aof",
            "--aof-commit-freq", "0",
            "--aof-commit-wait",
            "--recover",
            "--aof-size-limit", logLimitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--aof-size-limit-enforce-frequency", "1",
            .. geometry.Arguments(),
            "--checkpointdir", Path.Combine(root, "checkpoints"),
            "--device-type", "RandomAccess",
            "--auth", "Password",
            "--password", password,
            "-q",
        ];
        var recovery = new RecoveryLog();
        var logging = LoggerFactory.Create(builder => builder.AddProvider(recovery));
        GarnetServer? server = null;
        try
        {
            server = new GarnetServer(arguments, logging);
            server.Start();
        }
        catch
        {
            server?.Dispose();
            logging.Dispose();
            socketFolder.Dispose();
            throw;
        }
        var failure = recovery.Errors.Count == 0 ? null : $"the store in {root} did not replay its whole append-only file: {recovery.Errors[0]}";
        return new EmbeddedGarnet(server, logging, socketFolder, password, failure);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            server.Dispose();
            logging.Dispose();
        }
        finally
        {
            socketFolder.Dispose();
        }
    }

    /// <summary>
    /// A loopback port free at the time of asking, for servers started right after that bind it
    /// exclusively (a clash then fails their start); never for Garnet, whose listener shares a port.
    /// </summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

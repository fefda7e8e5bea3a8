using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Garnet;
using Microsoft.Extensions.Logging;

namespace Funnel.Serving.Store;

/// <summary>
/// A Garnet server inside the process, on a loopback port, persisting to <c>folder</c>: every write
/// is appended to the append-only file and the reply waits for its commit (fsync), so an
/// acknowledged write survives kill -9; on start the file is replayed, and a replay Garnet reports
/// as failed is kept as <see cref="RecoveryFailure"/>. The storage tier's default native device needs
/// a newer glibc than Debian 12's, so the portable RandomAccess device is used.
/// </summary>
public sealed class EmbeddedGarnet : IDisposable
{
    private readonly GarnetServer server;
    private readonly ILoggerFactory logging;

    private readonly string password;

    private EmbeddedGarnet(GarnetServer server, ILoggerFactory logging, int port, string password, string? recoveryFailure)
    {
        this.server = server;
        this.logging = logging;
        this.password = password;
        Port = port;
        RecoveryFailure = recoveryFailure;
    }

    /// <summary>
    /// Why the replay of the append-only file did not finish (Garnet's first error while starting),
    /// or null when it replayed everything: a store that recovered less than it acknowledged must not
    /// serve.
    /// </summary>
    public string? RecoveryFailure { get; }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>The StackExchange.Redis connection string for it.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},password={password},abortConnect=false";

    /// <summary>
    /// How large the append-only file may grow before Garnet takes a checkpoint and truncates it:
    /// this bounds both its size on disk and the replay a restart does (about a second per 100 MB here).
    /// </summary>
    public const long DefaultLogLimitBytes = ServiceOptions.DefaultStoreLogMegabytes << 20;

    /// <summary>
    /// Starts a server persisting to <paramref name="folder"/> (created if needed) on a free loopback
    /// port; past <paramref name="logLimitBytes"/> (rounded down to a power of 2) of append-only file,
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
        for (var attempt = 1; ; attempt++)
        {
            // Free when asked, but another process may bind it before Garnet does: then ask again.
            var port = FreePort();
            string[] arguments =
            [
                "--bind", "127.0.0.1",
                "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
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
            catch (Exception error) when (attempt < PortAttempts && IsPortTaken(error))
            {
                server?.Dispose();
                logging.Dispose();
                continue;
            }
            catch
            {
                server?.Dispose();
                logging.Dispose();
                throw;
            }
            var failure = recovery.Errors.Count == 0 ? null : $"the store in {root} did not replay its whole append-only file: {recovery.Errors[0]}";
            return new EmbeddedGarnet(server, logging, port, password, failure);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        server.Dispose();
        logging.Dispose();
    }

    private const int PortAttempts = 5;

    private static bool IsPortTaken(Exception error) =>
        error is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || (error.InnerException is { } inner && IsPortTaken(inner));

    /// <summary>A loopback port free at the time of asking (for servers started right after).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Net.Sockets;
using StackExchange.Redis;

namespace Funnel.Serving.Store;

/// <summary>The store address as <c>funnel serve --store</c> takes it.</summary>
public static class StoreAddress
{
    private const string RedisScheme = "redis://";
    private const string UnixScheme = "unix://";

    /// <summary>
    /// The StackExchange.Redis configuration of an external store: <c>redis://HOST:PORT[,HOST:PORT...]</c>,
    /// <c>unix:///PATH/TO/SOCKET</c> (a server on this machine, through its Unix socket), or a
    /// StackExchange.Redis connection string as it is; options such as <c>,password=...</c> may follow
    /// any of them. (StackExchange.Redis's own parser reads a socket path as a host name.)
    /// </summary>
    public static ConfigurationOptions Options(string store)
    {
        if (!store.StartsWith(UnixScheme, StringComparison.OrdinalIgnoreCase))
        {
            return ConfigurationOptions.Parse(store.StartsWith(RedisScheme, StringComparison.OrdinalIgnoreCase) ? store[RedisScheme.Length..] : store);
        }
        var rest = store[UnixScheme.Length..];
        var comma = rest.IndexOf(',', StringComparison.Ordinal);
        var path = comma < 0 ? rest : rest[..comma];
        if (!Path.IsPathFullyQualified(path))
        {
            // Only the path: options after it may hold a password.
            throw new ArgumentException($"--store: expected unix:///ABSOLUTE/PATH/TO/SOCKET, got the socket path '{path}'");
        }
        var settings = comma < 0 ? "" : rest[(comma + 1)..];
        var options = string.IsNullOrWhiteSpace(settings) ? new ConfigurationOptions() : ConfigurationOptions.Parse(settings);
        options.EndPoints.Add(new UnixDomainSocketEndPoint(path));
        return options;
    }
}

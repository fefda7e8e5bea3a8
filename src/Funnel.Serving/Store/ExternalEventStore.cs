using StackExchange.Redis;

namespace Funnel.Serving.Store;

/// <summary>An external store's events opened from outside the service (a benchmark checking what a cluster kept), read-only.</summary>
public sealed class ExternalEventStore : IAsyncDisposable
{
    private readonly ConnectionMultiplexer connection;
    private readonly RedisEventStore store;

    private ExternalEventStore(ConnectionMultiplexer connection)
    {
        this.connection = connection;
        store = new RedisEventStore(connection, RetentionPolicy.Unbounded, TimeProvider.System, options: new EventStoreOptions(Shared: true));
    }

    /// <summary>Connects to the store named as <c>funnel serve --store</c> names it (redis://HOST:PORT[,HOST:PORT...] or unix:///PATH).</summary>
    public static async Task<ExternalEventStore> OpenAsync(string store) =>
        new(await ConnectionMultiplexer.ConnectAsync(StoreAddress.Options(store)).ConfigureAwait(false));

    /// <summary>The user's stored events, oldest first.</summary>
    public Task<IReadOnlyList<UserEvent>> ReadAsync(string userId) => store.ReadAsync(userId);

    /// <summary>Closes the connection.</summary>
    public async ValueTask DisposeAsync() => await connection.DisposeAsync().ConfigureAwait(false);
}

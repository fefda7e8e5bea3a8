namespace Funnel.Serving.Store;

/// <summary>The store address as <c>funnel serve --store</c> takes it.</summary>
public static class StoreAddress
{
    /// <summary>The StackExchange.Redis configuration of an external store: <c>redis://HOST:PORT[,HOST:PORT...]</c> or a StackExchange.Redis connection string as it is.</summary>
    public static string Configuration(string store) =>
        store.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) ? store["redis://".Length..] : store;
}

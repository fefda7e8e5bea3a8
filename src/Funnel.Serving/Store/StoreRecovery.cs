namespace Funnel.Serving.Store;

/// <summary>How the store's start went: the reason it did not recover everything it acknowledged, or null.</summary>
/// <param name="Failure">Why the store must not serve, or null when it recovered whole (or is external).</param>
public sealed record StoreRecovery(string? Failure);

namespace Funnel.Serving.Store;

/// <summary>How the event store is shared and when an append counts as stored.</summary>
/// <param name="Shared">Other processes may write to the same store (any external store): forgetting a user is then conditioned in the store itself, as this process's locks do not reach them, and a user is dated before the push is sent (in a cluster they live on different nodes).</param>
/// <param name="Acknowledgement">Whether an append waits for a replica.</param>
/// <param name="ReplicaTimeoutMilliseconds">How long an append waits for a replica before it is reported as not confirmed.</param>
public sealed record EventStoreOptions(bool Shared = false, Acknowledgement Acknowledgement = Acknowledgement.Primary, int ReplicaTimeoutMilliseconds = 1_000)
{
    /// <summary>The embedded store: this process alone, acknowledged once fsynced.</summary>
    public static readonly EventStoreOptions Embedded = new();
}

using Funnel.Serving.Contracts;

namespace Funnel.Serving.Store;

/// <summary>Where users' events live: appended when they happen, read to rebuild the user's state.</summary>
public interface IEventStore
{
    /// <summary>
    /// Appends events to the user's log; returns once the store has made them durable. A batch
    /// named by <paramref name="batchId"/> is stored once: a retry of a batch already stored (for
    /// <see cref="RedisEventStore.BatchMemory"/>) stores nothing and returns false.
    /// </summary>
    Task<bool> AppendAsync(string userId, IReadOnlyList<UserEvent> events, string? batchId = null);

    /// <summary>The user's stored events, oldest first (empty for a user never seen).</summary>
    Task<IReadOnlyList<UserEvent>> ReadAsync(string userId);

    /// <summary>The user's last <paramref name="count"/> stored events, oldest first.</summary>
    async Task<IReadOnlyList<UserEvent>> ReadRecentAsync(string userId, int count)
    {
        var events = await ReadAsync(userId).ConfigureAwait(false);
        return [.. events.Skip(Math.Max(0, events.Count - count))];
    }

    /// <summary>Stores the user's logged profile (<c>funnel serve --history</c>), the context of their requests where a request leaves a field out.</summary>
    Task SetProfileAsync(string userId, RecommendationContext profile) => throw new NotSupportedException($"{GetType().Name} keeps no profiles");

    /// <summary>The user's stored profile, or null when none is stored.</summary>
    Task<RecommendationContext?> ReadProfileAsync(string userId) => Task.FromResult<RecommendationContext?>(null);

    /// <summary>Whether the store answers.</summary>
    Task<bool> PingAsync();
}

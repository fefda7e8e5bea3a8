namespace Funnel.Serving.Store;

/// <summary>
/// How much the store keeps: at most <see cref="MaxUsers"/> users (the least recently active beyond
/// it are forgotten first), none idle longer than <see cref="IdleAfter"/>, and per user the last
/// <see cref="RedisEventStore.MaxEventsPerUser"/> events. Stored events are therefore bounded by
/// <c>MaxUsers × MaxEventsPerUser</c>, whatever clients post.
/// </summary>
/// <param name="MaxUsers">Users kept.</param>
/// <param name="IdleAfter">How long a user may post nothing before being forgotten; null keeps idle users.</param>
public sealed record RetentionPolicy(int MaxUsers, TimeSpan? IdleAfter)
{
    /// <summary>A bound no deployment reaches: for stores the tests and tools fill with a handful of users.</summary>
    public static readonly RetentionPolicy Unbounded = new(int.MaxValue, null);
}

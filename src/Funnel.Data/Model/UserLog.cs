namespace Funnel.Data.Model;

/// <summary>One user's logged events, each table in time order.</summary>
/// <param name="Watches">The user's watches.</param>
/// <param name="Searches">The user's searches.</param>
/// <param name="Impressions">The user's impressions.</param>
public sealed record UserLog(IReadOnlyList<Watch> Watches, IReadOnlyList<Search> Searches, IReadOnlyList<Impression> Impressions);

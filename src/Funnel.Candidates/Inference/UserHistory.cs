namespace Funnel.Candidates.Inference;

/// <summary>What is known about a user at request time, in external terms.</summary>
/// <param name="WatchedVideoIds">External ids of watched videos, oldest first (the last 50 are used).</param>
/// <param name="SearchQueries">Search queries as typed, oldest first (the last 50 are used).</param>
/// <param name="Region">Region name ("" unknown).</param>
/// <param name="Device">Device name ("" unknown).</param>
/// <param name="Language">Language code ("" unknown).</param>
/// <param name="Gender">0 unknown, 1 female, 2 male.</param>
/// <param name="Age">Age in years (0 unknown).</param>
public sealed record UserHistory(
    IReadOnlyList<string> WatchedVideoIds,
    IReadOnlyList<string> SearchQueries,
    string Region = "",
    string Device = "",
    string Language = "",
    int Gender = 0,
    int Age = 0);

namespace Funnel.Ranking.Features;

/// <summary>
/// One candidate impression in external terms, before encoding: what training reads from the log
/// and serving from the live state and the catalogue. Both encode it with the same
/// <see cref="RankingFeatureSpace"/>.
/// </summary>
/// <param name="VideoId">The impression video's external id.</param>
/// <param name="Channel">Its channel ("" unknown).</param>
/// <param name="VideoLanguage">Its language ("" unknown).</param>
/// <param name="UploadTime">Its upload time in Unix seconds (0 unknown).</param>
/// <param name="DurationSeconds">Its length (0 unknown).</param>
/// <param name="UserLanguage">The user's language ("" unknown).</param>
/// <param name="Device">The user's device ("" unknown).</param>
/// <param name="Region">The user's region ("" unknown).</param>
/// <param name="RecentWatchIds">External ids of the user's last watched videos, oldest first.</param>
/// <param name="Counters">The user's counters for this video.</param>
/// <param name="Nomination">Candidate generation's score and rank for it.</param>
/// <param name="Time">When it is shown (Unix seconds).</param>
/// <param name="Signals">The co-visits and regional sources' scores of it.</param>
public sealed record RankingInput(
    string VideoId,
    string Channel,
    string VideoLanguage,
    long UploadTime,
    float DurationSeconds,
    string UserLanguage,
    string Device,
    string Region,
    IReadOnlyList<string> RecentWatchIds,
    ImpressionCounters Counters,
    CandidateNomination Nomination,
    long Time,
    SourceSignals Signals)
{
    /// <summary>
    /// The video's rows in the feature space that encodes it, when the caller resolved them from
    /// <see cref="VideoId"/>, <see cref="Channel"/> and <see cref="VideoLanguage"/> with that space's
    /// <see cref="RankingFeatureSpace.RowsOf"/>; null: the encoder looks the ids up. A copy made with
    /// <c>with</c> keeps them: set them again (or to null) when it changes those ids.
    /// </summary>
    public VideoRows? Rows { get; init; }
}

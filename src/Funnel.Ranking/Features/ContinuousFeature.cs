namespace Funnel.Ranking.Features;

/// <summary>The ranker's continuous features, each normalised to x̃ ∈ [0, 1) and fed with x̃² and √x̃.</summary>
public enum ContinuousFeature
{
    /// <summary>Seconds since the user last watched the video's channel (<see cref="UserActivity.Never"/> if never).</summary>
    SecondsSinceChannelWatch,

    /// <summary>Seconds since the user last watched a video sharing a topic with it.</summary>
    SecondsSinceTopicWatch,

    /// <summary>Times this video was shown to the user before.</summary>
    PreviousVideoImpressions,

    /// <summary>Times videos of its channel were shown to the user before.</summary>
    PreviousChannelImpressions,

    /// <summary>Seconds since upload (capped at <see cref="UserActivity.Never"/>; unknown upload time counts as that cap).</summary>
    VideoAgeSeconds,

    /// <summary>The video's length in seconds (0 unknown).</summary>
    VideoDurationSeconds,

    /// <summary>Candidate generation's score u·v.</summary>
    CandidateScore,

    /// <summary>Candidate generation's rank of the video among the corpus.</summary>
    CandidateRank,

    /// <summary>The co-visits source's score: the video's co-visit similarities to the user's last watches, summed.</summary>
    CoVisitScore,

    /// <summary>The regional source's score: watches of the video in the user's region.</summary>
    RegionalWatches,
}

/// <summary>Names and raw values of <see cref="ContinuousFeature"/>.</summary>
public static class ContinuousFeatures
{
    /// <summary>The features read from the log and the catalogue alone.</summary>
    public static readonly ContinuousFeature[] WithoutCandidates =
    [
        ContinuousFeature.SecondsSinceChannelWatch,
        ContinuousFeature.SecondsSinceTopicWatch,
        ContinuousFeature.PreviousVideoImpressions,
        ContinuousFeature.PreviousChannelImpressions,
        ContinuousFeature.VideoAgeSeconds,
        ContinuousFeature.VideoDurationSeconds,
    ];

    /// <summary>The candidate model's score and rank.</summary>
    public static readonly ContinuousFeature[] Candidate = [ContinuousFeature.CandidateScore, ContinuousFeature.CandidateRank];

    /// <summary>The other candidate sources' scores (<see cref="SourceSignals"/>).</summary>
    public static readonly ContinuousFeature[] Sources = [ContinuousFeature.CoVisitScore, ContinuousFeature.RegionalWatches];

    /// <summary>Every feature.</summary>
    public static readonly ContinuousFeature[] All = [.. WithoutCandidates, .. Candidate, .. Sources];

    /// <summary>The snake_case name used in model files and reports.</summary>
    public static string Name(ContinuousFeature feature) => feature switch
    {
        ContinuousFeature.SecondsSinceChannelWatch => "seconds_since_channel_watch",
        ContinuousFeature.SecondsSinceTopicWatch => "seconds_since_topic_watch",
        ContinuousFeature.PreviousVideoImpressions => "previous_video_impressions",
        ContinuousFeature.PreviousChannelImpressions => "previous_channel_impressions",
        ContinuousFeature.VideoAgeSeconds => "video_age_seconds",
        ContinuousFeature.VideoDurationSeconds => "video_duration_seconds",
        ContinuousFeature.CandidateScore => "candidate_score",
        ContinuousFeature.CandidateRank => "candidate_rank",
        ContinuousFeature.CoVisitScore => "covisit_score",
        ContinuousFeature.RegionalWatches => "regional_watches",
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, null),
    };

    /// <summary>The feature's raw value for an impression.</summary>
    public static double Raw(ContinuousFeature feature, RankingInput input) => feature switch
    {
        ContinuousFeature.SecondsSinceChannelWatch => input.Counters.SecondsSinceChannelWatch,
        ContinuousFeature.SecondsSinceTopicWatch => input.Counters.SecondsSinceTopicWatch,
        ContinuousFeature.PreviousVideoImpressions => input.Counters.PreviousVideoImpressions,
        ContinuousFeature.PreviousChannelImpressions => input.Counters.PreviousChannelImpressions,
        ContinuousFeature.VideoAgeSeconds => input.UploadTime <= 0 ? UserActivity.Never : Math.Clamp(input.Time - input.UploadTime, 0, UserActivity.Never),
        ContinuousFeature.VideoDurationSeconds => Math.Max(0, input.DurationSeconds),
        ContinuousFeature.CandidateScore => input.Nomination.Score,
        ContinuousFeature.CandidateRank => input.Nomination.Rank,
        ContinuousFeature.CoVisitScore => input.Signals.CoVisitScore,
        ContinuousFeature.RegionalWatches => input.Signals.RegionalWatches,
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, null),
    };
}

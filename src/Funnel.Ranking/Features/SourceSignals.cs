namespace Funnel.Ranking.Features;

/// <summary>
/// What the co-visits and regional candidate sources say of a video for one user, whether or not
/// they nominated it: the ranker's features for blending sources (the paper's "which sources
/// nominated the video and what scores they assigned"), 0 where a table has no link.
/// </summary>
/// <param name="CoVisitScore">The video's co-visit similarities to the user's last watches, summed (the co-visits source's score).</param>
/// <param name="RegionalWatches">Watches of the video in the user's region (the regional source's score).</param>
public readonly record struct SourceSignals(float CoVisitScore, float RegionalWatches)
{
    /// <summary>No table links the video to the user.</summary>
    public static readonly SourceSignals None = new(0, 0);
}

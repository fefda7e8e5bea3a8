namespace Funnel.Ranking.Features;

/// <summary>
/// What candidate generation said about a video for this user (the paper's "which sources nominated
/// the video and what scores they assigned"): the retrieval score u·v and the 1-based rank of the
/// video among the whole corpus for that user vector.
/// </summary>
/// <param name="Score">The candidate model's score of the video for the user.</param>
/// <param name="Rank">1 for the video retrieval puts first; corpus size + 1 for a video the candidate model does not know.</param>
public readonly record struct CandidateNomination(float Score, int Rank)
{
    /// <summary>No candidate model: the features are not used.</summary>
    public static readonly CandidateNomination None = new(0, 0);
}

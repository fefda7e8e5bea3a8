namespace Funnel.Ranking.Examples;

/// <summary>How candidate lists stand in for impressions on a log that has none (or, when asked, on one that has them).</summary>
/// <param name="ListsPerUser">Lists kept per user (sampled among the user's completed watches), so heavy users do not dominate.</param>
/// <param name="Depth">Videos the candidate model nominates per list, the watched ones left out: the service's default candidate count, so the ranker trains over the ranks it will reorder.</param>
/// <param name="Shown">Videos per list: the watched one and <c>Shown − 1</c> others drawn at random from the depth.</param>
/// <param name="CompletionThreshold">A watch whose completion reaches this is a positive (unknown completion counts).</param>
/// <param name="Seed">Which watches become lists, and which nominations are shown beside them.</param>
/// <param name="CoVisits">Co-visited videos merged after the network's depth when the ranker learns the co-visits source's scores (the default; <c>--no-source-features</c> turns them off), so it sees that source's nominations too.</param>
/// <param name="InsteadOfImpressions">Build the lists even when the log has impressions, and train on them instead: the ranker then learns from what the candidate model offers, not from what the logging policy showed.</param>
public sealed record CandidateListOptions(int ListsPerUser = 20, int Depth = 300, int Shown = 20, float CompletionThreshold = 0.8f, int Seed = 1, int CoVisits = 50, bool InsteadOfImpressions = false)
{
    /// <summary>Fails with the offending values.</summary>
    public CandidateListOptions Validate()
    {
        if (ListsPerUser < 1 || Shown < 2 || Depth < Shown || CoVisits < 0 || CompletionThreshold is < 0f or > 1f)
        {
            throw new ArgumentException($"candidate lists need ≥ 1 list per user, 2 ≤ shown ≤ depth, ≥ 0 co-visited and a completion threshold in [0, 1]; got {ListsPerUser} lists, {Shown} shown of {Depth} (+ {CoVisits} co-visited), threshold {CompletionThreshold}");
        }
        return this;
    }
}

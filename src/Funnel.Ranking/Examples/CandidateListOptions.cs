namespace Funnel.Ranking.Examples;

/// <summary>How candidate lists stand in for impressions on a log that has none.</summary>
/// <param name="ListsPerUser">Lists kept per user (sampled among the user's completed watches), so heavy users do not dominate.</param>
/// <param name="Candidates">Videos per list: the candidate model's top, the watched ones left out.</param>
/// <param name="CompletionThreshold">A watch whose completion reaches this is a positive (unknown completion counts).</param>
/// <param name="Seed">Which watches become lists.</param>
public sealed record CandidateListOptions(int ListsPerUser = 20, int Candidates = 20, float CompletionThreshold = 0.8f, int Seed = 1)
{
    /// <summary>Fails with the offending values.</summary>
    public CandidateListOptions Validate()
    {
        if (ListsPerUser < 1 || Candidates < 2 || CompletionThreshold is < 0f or > 1f)
        {
            throw new ArgumentException($"candidate lists need ≥ 1 list per user, ≥ 2 candidates and a completion threshold in [0, 1]; got {ListsPerUser}, {Candidates}, {CompletionThreshold}");
        }
        return this;
    }
}

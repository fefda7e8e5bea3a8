using Funnel.Serving.Contracts;

namespace Funnel.Experiments.Reporting;

/// <summary>
/// What an arm's ranker keeps of its candidates, at the experiment's start: for a sample of users,
/// the whole ranked candidate list is asked for, and the candidates, the candidate model's own top
/// (by candidate rank) and the ranker's top (the slate) are compared by age and length.
/// </summary>
/// <param name="Name">The arm.</param>
/// <param name="Users">Users sampled.</param>
/// <param name="Top">Size of the compared tops (the slate size).</param>
/// <param name="CandidatesRecent">Share of all candidates uploaded less than 7 days before.</param>
/// <param name="CandidateTopRecent">The same share in the candidate model's top.</param>
/// <param name="RankerTopRecent">The same share in the ranker's top.</param>
/// <param name="CandidateTopAgeDays">Mean days since upload in the candidate model's top.</param>
/// <param name="RankerTopAgeDays">Mean days since upload in the ranker's top.</param>
/// <param name="CandidatesSeconds">Mean length of all candidates.</param>
/// <param name="RankerTopSeconds">Mean length in the ranker's top.</param>
public sealed record SlateAnatomy(string Name, int Users, int Top, double CandidatesRecent, double CandidateTopRecent, double RankerTopRecent, double CandidateTopAgeDays, double RankerTopAgeDays, double CandidatesSeconds, double RankerTopSeconds)
{
    private const double RecentDays = 7;

    /// <summary>The anatomy of ranked candidate lists (ranker order, each item with its candidate rank).</summary>
    public static SlateAnatomy Of(string name, IReadOnlyList<IReadOnlyList<RecommendedItem>> lists, int top, long time, Func<string, (long UploadTime, float Seconds)> video)
    {
        var candidates = lists.SelectMany(l => l).ToList();
        var candidateTop = lists.SelectMany(l => l.OrderBy(i => i.CandidateRank).Take(top)).ToList();
        var rankerTop = lists.SelectMany(l => l.Take(top)).ToList();
        double Age(RecommendedItem item) => (time - video(item.VideoId).UploadTime) / 86_400.0;
        double Recent(List<RecommendedItem> items) => items.Count == 0 ? double.NaN : items.Count(i => Age(i) < RecentDays) / (double)items.Count;
        double Mean(List<RecommendedItem> items, Func<RecommendedItem, double> of) => items.Count == 0 ? double.NaN : items.Average(of);
        return new SlateAnatomy(
            name,
            lists.Count,
            top,
            Recent(candidates),
            Recent(candidateTop),
            Recent(rankerTop),
            Mean(candidateTop, Age),
            Mean(rankerTop, Age),
            Mean(candidates, i => video(i.VideoId).Seconds),
            Mean(rankerTop, i => video(i.VideoId).Seconds));
    }
}

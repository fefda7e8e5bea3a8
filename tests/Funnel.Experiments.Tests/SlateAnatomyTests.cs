using Funnel.Experiments.Reporting;
using Funnel.Serving.Contracts;

namespace Funnel.Experiments.Tests;

public class SlateAnatomyTests
{
    [Fact]
    public void Candidates_the_candidate_models_top_and_the_rankers_top_are_compared_by_age_and_length()
    {
        const long Now = 100 * 86_400L;
        var videos = new Dictionary<string, (long, float)>
        {
            ["a"] = (Now - 86_400, 100),
            ["b"] = (Now - (10 * 86_400), 200),
            ["c"] = (Now - (3 * 86_400), 50),
            ["d"] = (Now - (20 * 86_400), 400),
        };
        // Ranker order a, b, c, d; the candidate model ranked b, d, a, c.
        IReadOnlyList<RecommendedItem> list = [new("a", 9, "candidates", 3, ["candidates"]), new("b", 8, "candidates", 1, ["candidates"]), new("c", 7, "candidates", 4, ["candidates"]), new("d", 6, "candidates", 2, ["candidates"])];

        var anatomy = SlateAnatomy.Of("arm", [list], top: 2, Now, id => videos[id]);

        Assert.Equal(new SlateAnatomy("arm", 1, 2, CandidatesRecent: 0.5, CandidateTopRecent: 0, RankerTopRecent: 0.5, CandidateTopAgeDays: 15, RankerTopAgeDays: 5.5, CandidatesSeconds: 187.5, RankerTopSeconds: 150), anatomy);
    }
}

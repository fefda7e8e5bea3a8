using Funnel.Core;
using Funnel.Data.Synthetic;
using Funnel.Runs.Candidates;
using Funnel.Runs.Recommendations;
using Funnel.Serving.Recommendations;

namespace Funnel.Runs.Tests.Recommendations;

public sealed class SlateEvaluationTests
{
    [Fact]
    public async Task The_final_slate_is_scored_beside_the_candidate_stage_on_the_same_queries_and_needs_a_ranker()
    {
        using var temp = new TempFolder();
        var data = temp.Combine("world");
        var model = temp.Combine("model");
        await WorldGenerator.GenerateAsync(new WorldOptions(Users: 150, Videos: 300, Days: 7, Seed: 8), data);
        await TinyModels.TrainCandidatesAsync(data, model);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => CandidateEvaluationRun.RunAsync(data, model, [10], slate: new CandidateSources()));
        Assert.Contains("funnel train ranking", refused.Message, StringComparison.Ordinal);

        await TinyModels.TrainRankerAsync(data, model, holdoutFraction: 0.25);
        var first = await CandidateEvaluationRun.RunAsync(data, model, [10, 50], slate: new CandidateSources());
        var second = await CandidateEvaluationRun.RunAsync(data, model, [10, 50], slate: new CandidateSources());

        var slate = first.Results.Where(r => r.Model == SlateEvaluation.ModelName).ToList();
        Assert.Equal(first.Results.Count(r => r.Model == "funnel"), slate.Count);
        Assert.All(slate, r => Assert.InRange(r.Value, 0, 1));
        Assert.Contains(slate, r => r.Metric == MetricNames.HitRate && r.K == 50 && r.Value > 0);
        Assert.Equal(first.Results, second.Results);
    }
}

using Funnel.Candidates.Inference;
using Funnel.Serving.Contracts;
using Funnel.Serving.Models;
using Funnel.Serving.Recommendations;
using Funnel.Serving.Store;

namespace Funnel.Serving.Tests.Recommendations;

[Collection(ServingTests.Name)]
public sealed class CandidateSourcesTests(ServedModel served)
{
    [Fact]
    public void The_sources_option_sets_any_subset_over_the_defaults_and_names_what_is_wrong()
    {
        var parsed = CandidateSources.Parse("covisits=40, fresh=5", new CandidateSources(Network: 100));

        Assert.Equal(new CandidateSources(Network: 100, CoVisits: 40, Fresh: 5), parsed);
        Assert.Equal(parsed, CandidateSources.Parse(parsed.ToString(), new CandidateSources()));
        Assert.Contains("unknown source 'knn'", Assert.Throws<ArgumentException>(() => CandidateSources.Parse("knn=5", new CandidateSources())).Message, StringComparison.Ordinal);
        Assert.Contains("'regional'", Assert.Throws<ArgumentException>(() => CandidateSources.Parse("regional", new CandidateSources())).Message, StringComparison.Ordinal);
        Assert.Contains("candidates must be at least 1", Assert.Throws<ArgumentException>(() => CandidateSources.Parse("candidates=0", new CandidateSources())).Message, StringComparison.Ordinal);
        Assert.Contains("covisits must be 0 to 1000", Assert.Throws<ArgumentException>(() => CandidateSources.Parse("covisits=5000", new CandidateSources())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sources_nominations_are_merged_once_each_without_watched_videos_and_each_item_names_its_source()
    {
        using var model = await ServingModel.LoadAsync(served.Model, sourceTables: true);
        Assert.NotEmpty(model.Sources.CoVisits);
        // The tables are read for a source or a ranker that reads them, not otherwise.
        using (var withoutTables = await ServingModel.LoadAsync(served.OtherModel))
        {
            Assert.False(withoutTables.Ranker.Manifest.UsesSourceFeatures);
            Assert.Empty(withoutTables.Sources.CoVisits);
        }
        using (var forTheRanker = await ServingModel.LoadAsync(served.Model))
        {
            Assert.True(forTheRanker.Ranker.Manifest.UsesSourceFeatures);
            Assert.NotEmpty(forTheRanker.Sources.CoVisits);
        }
        Assert.NotEmpty(model.Sources.PopularByRegion);
        var (watched, _) = model.Sources.CoVisits.Where(p => model.Catalogue.IndexOf(p.Key) >= 0).MaxBy(p => p.Value.Length);
        var region = model.Sources.PopularByRegion.MaxBy(p => p.Value.Length).Key;
        var events = new[] { new UserEvent(UserEventKind.Watch, 1_000, watched, 30) };
        var context = new RecommendationContext(Region: region);

        var networkOnly = new Recommender(new CandidateSources(Network: 5, CoVisits: 0, Regional: 0)).Recommend(model, "u", 1_000, context, [], events, 2_000, debug: true);
        var merged = new Recommender(new CandidateSources(Network: 5, CoVisits: 30, Regional: 10)).Recommend(model, "u", 1_000, context, [], events, 2_000, debug: true);

        Assert.Equal(5, networkOnly.Items.Count(i => i.Source != "popularity"));
        Assert.True(merged.Items.Count(i => i.Source != "popularity") > 5, "co-visits and the region added candidates to rank");
        var ranked = merged.Items.Where(i => i.Source != "popularity").ToList();
        Assert.Equal(merged.Debug!.Ranked, merged.Items.Count);
        Assert.Equal(ranked.Count, ranked.Select(i => i.VideoId).Distinct().Count());
        Assert.DoesNotContain(merged.Items, i => i.VideoId == watched);
        Assert.Equal(5, ranked.Count(i => i.Source == CandidateSources.NetworkName));
        Assert.Contains(ranked, i => i.Source == CandidateSources.CoVisitsName);
        Assert.Contains(ranked, i => i.Source == CandidateSources.RegionalName);
        // The network's 5 are taken before co-visits nominate, so theirs come from the top 35.
        var coVisited = TableSources.CoVisited(model.Sources.CoVisitScores([watched]), new HashSet<string> { watched }, 35).Select(l => l.VideoId).ToHashSet();
        Assert.All(ranked.Where(i => i.Source == CandidateSources.CoVisitsName), i => Assert.Contains(i.VideoId, coVisited));
        // A network candidate among co-visits' own top 30 lists both sources, the network first.
        var ownCoVisits = TableSources.CoVisited(model.Sources.CoVisitScores([watched]), new HashSet<string> { watched }, 30).Select(l => l.VideoId).ToHashSet();
        Assert.All(ranked.Where(i => i.Source == CandidateSources.NetworkName), i => Assert.Equal(ownCoVisits.Contains(i.VideoId), i.Sources.Contains(CandidateSources.CoVisitsName)));
        Assert.All(ranked.Where(i => i.Source != CandidateSources.NetworkName), i => Assert.DoesNotContain(CandidateSources.NetworkName, i.Sources));
        Assert.All(merged.Items, i => Assert.Equal(i.Source, i.Sources[0]));
    }

    [Fact]
    public async Task A_video_another_source_nominates_gets_the_score_the_index_would_have_given_it()
    {
        using var model = await ServingModel.LoadAsync(served.Model);
        var user = model.Candidates.UserVectors([new UserHistory([model.Candidates.VideoIds[3]], [], "", "", "")]);
        var neighbours = model.Index.Search(user, 20);

        var scores = model.Candidates.Scores(user, [.. neighbours.Select(n => n.Key)], model.Index.Metric);

        Assert.Equal(neighbours.Select(n => n.Score), scores, (a, b) => Math.Abs(a - b) < 1e-4f);
    }
}

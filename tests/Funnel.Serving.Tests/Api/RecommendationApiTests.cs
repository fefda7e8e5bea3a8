using System.Net;
using System.Net.Http.Json;
using Funnel.Data.Storage;
using Funnel.Serving.Contracts;
using Funnel.Serving.Recommendations;

namespace Funnel.Serving.Tests.Api;

[Collection(ServingTests.Name)]
public sealed class RecommendationApiTests(ServedModel served)
{
    [Fact]
    public async Task A_user_with_history_gets_a_ranked_slate_without_what_they_watched()
    {
        await using var service = await served.StartAsync();
        var dataset = await Dataset.OpenAsync(served.Data);
        var watched = dataset.Videos.Take(5).Select(v => v.Id).ToArray();
        var events = watched.Select((id, i) => new EventRequest("watch", id, WatchSeconds: 60 + i, Time: 1_767_300_000 + i)).Append(new EventRequest("search", Query: dataset.Videos[0].Title, Time: 1_767_300_010));

        var stored = await service.PostAsync("/v1/events", new EventBatch("u-history", [.. events]));
        var response = await service.PostAsync("/v1/recommendations", new RecommendationRequest("u-history", 15, new RecommendationContext("mobile", "DE", "de"), Debug: true, Time: 1_767_300_100));

        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal(6, (await stored.Content.ReadFromJsonAsync<EventsAccepted>())!.Accepted);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var slate = (await response.Content.ReadFromJsonAsync<RecommendationResponse>())!;
        Assert.Equal("model", slate.ServedBy);
        Assert.False(string.IsNullOrEmpty(slate.ModelVersion));
        Assert.Equal(15, slate.Items.Count);
        Assert.Equal(slate.Items.Count, slate.Items.Select(i => i.VideoId).Distinct().Count());
        Assert.DoesNotContain(slate.Items, i => watched.Contains(i.VideoId));
        Assert.All(slate.Items, i => Assert.Contains(i.Source, new[] { CandidateSources.NetworkName, CandidateSources.CoVisitsName, CandidateSources.RegionalName }));
        Assert.Contains(slate.Items, i => i.Source == CandidateSources.NetworkName);
        Assert.Equal(slate.Items.Select(i => i.Score).OrderDescending(), slate.Items.Select(i => i.Score));
        Assert.Equal(6, slate.Debug!.Events);
        Assert.Equal(["state", "user_vector", "retrieval", "sources", "ranking"], slate.Debug.StageMs.Keys);
    }

    [Fact]
    public async Task A_new_user_gets_the_model_slate_and_a_large_k_is_topped_up_with_popular_videos()
    {
        await using var service = await served.StartAsync();

        var cold = await (await service.PostAsync("/v1/recommendations", new RecommendationRequest("never-seen"))).Content.ReadFromJsonAsync<RecommendationResponse>();
        var large = await (await service.PostAsync("/v1/recommendations", new RecommendationRequest("never-seen", 1000))).Content.ReadFromJsonAsync<RecommendationResponse>();

        Assert.Equal("model", cold!.ServedBy);
        Assert.Equal(20, cold.Items.Count);
        Assert.Equal("model+popularity", large!.ServedBy);
        Assert.Equal(large.Items.Count, large.Items.Select(i => i.VideoId).Distinct().Count());
        Assert.Contains(large.Items, i => i.Source == "popularity");
        Assert.Equal(service.Options.CandidateSources.Network, large.Items.Count(i => i.Source == "candidates"));
        // Model items come first, then the top-up, each part in the ranker's order, every score in the same unit.
        Assert.True(large.Items.SkipWhile(i => i.Source == "candidates").All(i => i.Source == "popularity"));
        Assert.Equal("watch-seconds", large.ScoreUnit);
        var topUp = large.Items.Where(i => i.Source == "popularity").Select(i => i.Score).ToList();
        Assert.Equal(topUp.OrderDescending(), topUp);
        Assert.All(large.Items, i => Assert.Equal(i.Source, i.Sources[0]));
        Assert.All(large.Items, i => Assert.Null(i.Video));
    }

    [Fact]
    public async Task A_profiles_gender_and_age_reach_the_candidate_network()
    {
        await using var service = await served.StartAsync();

        var unknown = await (await service.PostAsync("/v1/recommendations", new RecommendationRequest("never-seen"))).Content.ReadFromJsonAsync<RecommendationResponse>();
        var profiled = await (await service.PostAsync("/v1/recommendations", new RecommendationRequest("never-seen", Context: new RecommendationContext(Gender: "female", Age: 61)))).Content.ReadFromJsonAsync<RecommendationResponse>();

        Assert.Equal("model", profiled!.ServedBy);
        Assert.NotEqual(unknown!.Items.Select(i => (i.VideoId, i.Score)), profiled.Items.Select(i => (i.VideoId, i.Score)));
    }

    [Fact]
    public async Task When_every_candidate_is_excluded_the_popularity_fallback_serves()
    {
        await using var service = await served.StartAsync();
        var candidateVocabulary = File.ReadAllLines(Path.Combine(served.Model, "candidates", "videos.txt")).Where(id => id.Length > 0).ToArray();
        var popular = File.ReadAllLines(Path.Combine(served.Model, "ranking", "popular.txt"));

        var response = await service.PostAsync("/v1/recommendations", new RecommendationRequest("u-excluding", 5, Exclude: candidateVocabulary));
        var slate = (await response.Content.ReadFromJsonAsync<RecommendationResponse>())!;

        Assert.InRange(candidateVocabulary.Length, 1, 1000);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fallback", slate.ServedBy);
        // The five most popular the request allows, in the ranker's order.
        Assert.Equal(popular.Except(candidateVocabulary).Take(5).Order(), slate.Items.Select(i => i.VideoId).Order());
        Assert.Equal(slate.Items.Select(i => i.Score).OrderDescending(), slate.Items.Select(i => i.Score));
        Assert.All(slate.Items, i => Assert.Equal("popularity", i.Source));
    }

    [Theory]
    [InlineData("{\"userId\": \"u1\", \"k\": 0}", "k: must be between 1 and 1000")]
    [InlineData("{\"userId\": \"u1\", \"k\": 1001}", "k: must be between 1 and 1000")]
    [InlineData("{\"k\": 5}", "userId: required")]
    [InlineData("{\"userId\": \"u1\", \"colour\": \"red\"}", "colour")]
    [InlineData("{\"userId\": \"u1\", ", "malformed JSON")]
    [InlineData("[1, 2]", "malformed JSON")]
    [InlineData("", "the body must be a JSON object")]
    [InlineData("{\"userId\": \"u1\", \"k\": \"ten\"}", "malformed JSON")]
    [InlineData("{\"userId\": \"u1\", \"context\": {\"gender\": \"f\"}}", "context.gender")]
    [InlineData("{\"userId\": \"u1\", \"context\": {\"age\": 400}}", "context.age")]
    public async Task Bad_requests_get_a_problem_response_naming_the_field(string body, string expected)
    {
        await using var service = await served.StartAsync();

        var response = await service.PostJsonAsync("/v1/recommendations", body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413()
    {
        await using var service = await served.StartAsync();
        var huge = "{\"userId\": \"u1\", \"exclude\": [" + string.Join(',', Enumerable.Repeat("\"" + new string('x', 1000) + "\"", 1100)) + "]}";

        var response = await service.PostJsonAsync("/v1/recommendations", huge);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "bytes");
    }
}

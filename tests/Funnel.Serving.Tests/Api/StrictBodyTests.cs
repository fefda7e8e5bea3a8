using System.Net;

namespace Funnel.Serving.Tests.Api;

/// <summary>A body means one thing: what docs/serving.md says is accepted, and nothing looser.</summary>
[Collection(ServingTests.Name)]
public sealed class StrictBodyTests(ServedModel served)
{
    [Theory]
    [InlineData("/v1/recommendations", """{"userId": "u1", "k": "3"}""", "path $.k")] // a number sent as a string
    [InlineData("/v1/recommendations", """{"userid": "u1"}""", "unknown field 'userid'")] // another case of a known name
    [InlineData("/v1/recommendations", """{"userId": "u1", "userId": "u2"}""", "appears twice")]
    [InlineData("/v1/events", """{"userId": "u1", "events": [{"type": "search", "query": "cats", "time": 1}]}""", "events[0].time: must be Unix seconds from 631152000 (1990)")]
    [InlineData("/v1/events", """{"userId": "u1", "events": [{"type": "search", "query": "cats", "time": 9223372036854775807}]}""", "to 7258118400 (2200)")]
    [InlineData("/v1/recommendations", """{"userId": "u1", "time": 99999999999}""", "time: must be Unix seconds")]
    public async Task Looser_bodies_are_refused_naming_the_field(string path, string body, string expected)
    {
        await using var service = await served.StartAsync();

        var response = await service.PostJsonAsync(path, body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, expected);
    }

    [Theory]
    [InlineData("""{"userId": 5}""")] // a value of the wrong type
    [InlineData("""[1, 2]""")] // not an object at all
    public async Task Refusals_never_name_the_services_own_types(string body)
    {
        await using var service = await served.StartAsync();

        var response = await service.PostJsonAsync("/v1/recommendations", body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("Funnel.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Funnel.Data.Storage;
using Funnel.Serving.Contracts;

namespace Funnel.Serving.Tests.Api;

/// <summary>
/// Thousands of generated bodies, mutations of valid ones (seeded, so a failure repeats): the service
/// answers every one without a 5xx, and a refused event batch leaves nothing stored.
/// </summary>
[Collection(ServingTests.Name)]
public sealed class FuzzedBodiesTests(ServedModel served)
{
    private const int Bodies = 1_500;

    [Fact]
    public async Task No_generated_body_gets_a_5xx_or_stores_part_of_a_refused_batch()
    {
        await using var service = await ServedModel.StartAsync(new ServiceOptions(served.Model, StoreFolder: served.NewFolder("store"), RequestsPerSecondPerClient: 0));
        var video = (await Dataset.OpenAsync(served.Data)).Videos[0].Id;
        var random = new Random(20261201);
        var failures = new List<string>();
        for (var i = 0; i < Bodies; i++)
        {
            var user = $"fuzz-{i}";
            var events = Mutate(ValidEvents(user, video, random), random);
            var stored = await Post(service, "/v1/events", events);
            var slate = Mutate(ValidRecommendation($"fuzz-r{i}", random), random);
            var answered = await Post(service, "/v1/recommendations", slate);
            foreach (var (status, body) in new[] { (stored, events), (answered, slate) })
            {
                if ((int)status >= 500)
                {
                    failures.Add($"{(int)status} for {body}");
                }
            }
            if (stored != HttpStatusCode.OK && await StoredEvents(service, user) is var count and > 0)
            {
                failures.Add($"{count} events stored from a batch refused with {(int)stored}: {events}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(5)));
    }

    private static string ValidEvents(string user, string video, Random random) =>
        new JsonObject
        {
            ["userId"] = user,
            ["events"] = new JsonArray(
                new JsonObject { ["type"] = "watch", ["videoId"] = video, ["watchSeconds"] = random.Next(1, 600), ["time"] = 1_700_000_000 + random.Next(1_000) },
                new JsonObject { ["type"] = "search", ["query"] = "cats and dogs", ["time"] = 1_700_000_100 },
                new JsonObject { ["type"] = "impression", ["videoId"] = video, ["position"] = random.Next(0, 6), ["clicked"] = random.Next(2) == 0 }),
        }.ToJsonString();

    private static string ValidRecommendation(string user, Random random) =>
        new JsonObject { ["userId"] = user, ["k"] = random.Next(1, 30), ["context"] = new JsonObject { ["device"] = "mobile" }, ["debug"] = true }.ToJsonString();

    /// <summary>One of the ways a client gets a body wrong, picked at random.</summary>
    private static string Mutate(string body, Random random)
    {
        switch (random.Next(7))
        {
            case 0:
                return body;
            case 1:
                return body[..random.Next(body.Length)];
            case 2:
                var bytes = Encoding.UTF8.GetBytes(body);
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }
                return Encoding.UTF8.GetString(bytes);
            case 3:
                return string.Concat(Enumerable.Repeat("[", random.Next(10, 300))) + body;
            default:
                var node = JsonNode.Parse(body)!;
                var values = Leaves(node).ToList();
                var target = values[random.Next(values.Count)];
                var replacement = RandomValue(random);
                if (target.Parent is JsonObject parent)
                {
                    parent[target.GetPropertyName()] = replacement;
                }
                else if (target.Parent is JsonArray array)
                {
                    array[target.GetElementIndex()] = replacement;
                }
                if (random.Next(3) == 0 && node is JsonObject root)
                {
                    root[$"extra{random.Next(10)}"] = RandomValue(random);
                }
                return node.ToJsonString();
        }
    }

    private static IEnumerable<JsonNode> Leaves(JsonNode node) => node switch
    {
        JsonObject o => o.Select(p => p.Value).OfType<JsonNode>().SelectMany(Leaves).Prepend(node).Where(n => n.Parent is not null),
        JsonArray a => a.OfType<JsonNode>().SelectMany(Leaves).Prepend(node).Where(n => n.Parent is not null),
        _ => [node],
    };

    private static JsonNode? RandomValue(Random random) => random.Next(9) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(long.MaxValue),
        3 => JsonValue.Create(-random.NextDouble() * 1e300),
        4 => JsonValue.Create(new string('x', random.Next(0, 5_000))),
        5 => JsonValue.Create("\u0000\uD800\n"),
        6 => new JsonArray(JsonValue.Create(1), JsonValue.Create("two")),
        7 => new JsonObject { ["nested"] = new JsonObject() },
        _ => JsonValue.Create(random.Next(-10, 10)),
    };

    private static async Task<HttpStatusCode> Post(RunningService service, string path, string body)
    {
        using var response = await service.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    private static async Task<int> StoredEvents(RunningService service, string user)
    {
        using var response = await service.Client.PostAsJsonAsync("/v1/recommendations", new RecommendationRequest(user, 1, Debug: true));
        return (await response.Content.ReadFromJsonAsync<RecommendationResponse>())!.Debug!.Events;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Funnel.Ranking.Training;
using Funnel.Serving.Contracts;
using Funnel.Serving.Recommendations;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Funnel.Serving.Api;

/// <summary>
/// The OpenAPI document's schemas as strict as the service is: the contract records keep their
/// fields nullable so that a missing field gets the service's own one-line 400 rather than the
/// serializer's, but the document says what the service accepts and returns: which fields are
/// required (and never null), the closed sets of strings (event types, sources, <c>servedBy</c>,
/// score units, genders), ranges and lengths, and an example of each request.
/// </summary>
internal static class OpenApiContract
{
    /// <summary>Every name a slate item's source can have.</summary>
    private static readonly IReadOnlyList<string> SourceNames = [CandidateSources.NetworkName, CandidateSources.CoVisitsName, CandidateSources.RegionalName, FreshSource.Name, RecommendationResponse.PopularityName];

    private static readonly Dictionary<Type, Action<OpenApiSchema>> Rules = new()
    {
        [typeof(RecommendationRequest)] = schema =>
        {
            Require(schema, "userId");
            Length(schema, "userId", 1, 256);
            Range(schema, "k", 1, ServiceOptions.MaxK);
            Default(schema, "k", ServiceOptions.DefaultK);
            Range(schema, "time", ServiceOptions.EarliestTime, ServiceOptions.LatestTime);
            Property(schema, "exclude").MaxItems = ServiceOptions.MaxK;
            schema.Examples = [JsonNode.Parse("""{"userId": "42", "k": 5, "context": {"device": "mobile", "region": "US-9"}, "metadata": true}""")!];
        },
        [typeof(RecommendationContext)] = schema =>
        {
            OneOf(schema, "gender", RecommendationContext.Genders);
            Range(schema, "age", 0, RecommendationContext.MaxAge);
        },
        [typeof(RecommendationResponse)] = schema =>
        {
            Require(schema, "items", "servedBy", "modelVersion", "time", "scoreUnit");
            OneOf(schema, "servedBy", [RecommendationResponse.ByModel, RecommendationResponse.ByModelAndPopularity, RecommendationResponse.ByFallback]);
            OneOf(schema, "scoreUnit", [ImpressionWeights.WatchSeconds, ImpressionWeights.ExpectedCompletion, ImpressionWeights.ClickOdds]);
        },
        [typeof(RecommendedItem)] = schema =>
        {
            Require(schema, "videoId", "score", "source", "candidateRank", "sources");
            OneOf(schema, "source", SourceNames);
            var sources = Property(schema, "sources");
            if (sources.Items is OpenApiSchema item)
            {
                item.Enum = [.. SourceNames.Select(name => (JsonNode)JsonValue.Create(name))];
            }
            Range(schema, "candidateRank", 1, null);
        },
        [typeof(VideoMetadata)] = schema => Require(schema, "title", "channel", "topics", "durationSeconds", "uploadTime"),
        [typeof(RecommendationDebug)] = schema => Require(schema, "stageMs", "events", "candidates", "ranked"),
        [typeof(EventBatch)] = schema =>
        {
            Require(schema, "userId", "events");
            Length(schema, "userId", 1, 256);
            var events = Property(schema, "events");
            events.MinItems = 1;
            events.MaxItems = ServiceOptions.MaxEventsPerRequest;
            schema.Examples = [JsonNode.Parse("""{"userId": "42", "events": [{"type": "watch", "videoId": "50", "watchSeconds": 5400}, {"type": "search", "query": "star wars"}, {"type": "impression", "videoId": "181", "position": 0, "clicked": false}]}""")!];
        },
        [typeof(EventRequest)] = schema =>
        {
            Require(schema, "type");
            OneOf(schema, "type", ["watch", "search", "impression"]);
            Range(schema, "watchSeconds", 0, 86_400);
            Range(schema, "position", 0, ServiceOptions.MaxK - 1);
            Length(schema, "query", 1, 1_000);
            Range(schema, "time", ServiceOptions.EarliestTime, ServiceOptions.LatestTime);
        },
        [typeof(EventsAccepted)] = schema => Require(schema, "accepted", "replayed"),
        [typeof(ReloadResponse)] = schema => Require(schema, "modelVersion", "path"),
        [typeof(AddVideosRequest)] = schema =>
        {
            Require(schema, "videos");
            var videos = Property(schema, "videos");
            videos.MinItems = 1;
            videos.MaxItems = 1_000;
        },
        [typeof(UploadedVideo)] = schema =>
        {
            Require(schema, "id");
            Length(schema, "id", 1, 256);
            Range(schema, "durationSeconds", 0, null);
        },
        [typeof(AddVideosResponse)] = schema => Require(schema, "stored", "uploads"),
    };

    /// <summary>Adds the transformer to the document options.</summary>
    public static void Configure(OpenApiOptions openApi) =>
        openApi.AddSchemaTransformer((schema, context, _) =>
        {
            // A type first met as another's property comes with that property's info: its schema is the type's all the same.
            if (Rules.TryGetValue(context.JsonTypeInfo.Type, out var rule))
            {
                rule(schema);
            }
            return Task.CompletedTask;
        });

    private static OpenApiSchema Property(OpenApiSchema schema, string name) =>
        schema.Properties?.TryGetValue(name, out var property) == true && property is OpenApiSchema inline
            ? inline
            : throw new InvalidOperationException($"the OpenAPI schema has no inline property '{name}' to describe");

    /// <summary>Required, and never null.</summary>
    private static void Require(OpenApiSchema schema, params string[] names)
    {
        schema.Required ??= new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            schema.Required.Add(name);
            if (schema.Properties![name] is OpenApiSchema inline && inline.Type is { } type)
            {
                inline.Type = type & ~JsonSchemaType.Null;
            }
        }
    }

    private static void OneOf(OpenApiSchema schema, string name, IEnumerable<string> values) =>
        Property(schema, name).Enum = [.. values.Select(value => (JsonNode)JsonValue.Create(value))];

    private static void Range(OpenApiSchema schema, string name, long minimum, long? maximum)
    {
        var property = Property(schema, name);
        property.Minimum = minimum.ToString(CultureInfo.InvariantCulture);
        property.Maximum = maximum?.ToString(CultureInfo.InvariantCulture);
    }

    private static void Length(OpenApiSchema schema, string name, int minimum, int maximum)
    {
        var property = Property(schema, name);
        property.MinLength = minimum;
        property.MaxLength = maximum;
    }

    private static void Default(OpenApiSchema schema, string name, int value) => Property(schema, name).Default = JsonValue.Create(value);
}

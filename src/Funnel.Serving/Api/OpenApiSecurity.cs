using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Funnel.Serving.Api;

/// <summary>
/// What the service's OpenAPI document says beyond the endpoints: the keys they take (the admin
/// key always, the ingestion key when this service requires one), <c>/metrics</c>, and no <c>servers</c> entry, so
/// the document never echoes a request's Host header and every client resolves paths against the
/// address it used.
/// </summary>
internal static class OpenApiSecurity
{
    private const string AdminScheme = "adminKey";
    private const string IngestScheme = "ingestKey";

    /// <summary>Adds the transformer to the document options.</summary>
    public static void Configure(OpenApiOptions openApi, ServiceOptions options) =>
        openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Servers?.Clear();
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[AdminScheme] = Key(AdminEndpoints.ApiKeyHeader, "The key given to funnel serve with --api-key (or FUNNEL_API_KEY); without one the service refuses reloads.");
            Require(document, "/admin/models/reload", AdminScheme);
            Require(document, "/admin/videos", AdminScheme);
            AddMetrics(document);
            if (options.IngestKey is not null)
            {
                document.Components.SecuritySchemes[IngestScheme] = Key(EventEndpoints.IngestKeyHeader, "The key given to funnel serve with --ingest-key (or FUNNEL_INGEST_KEY).");
                Require(document, "/v1/events", IngestScheme);
            }
            return Task.CompletedTask;
        });

    /// <summary>
    /// <c>/metrics</c>, which prometheus-net maps as middleware the document's generator does not
    /// see: Prometheus' text format.
    /// </summary>
    private static void AddMetrics(OpenApiDocument document)
    {
        document.Paths ??= [];
        document.Paths["/metrics"] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    OperationId = "Metrics",
                    Summary = "Prometheus metrics: requests, stage times, errors, slates and items by source, events, the model served",
                    Tags = new HashSet<OpenApiTagReference> { new(OpenApiTags.Operations, document) },
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse
                        {
                            Description = "Prometheus text exposition format",
                            Content = new Dictionary<string, OpenApiMediaType> { ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
                        },
                    },
                },
            },
        };
    }

    private static OpenApiSecurityScheme Key(string header, string description) => new()
    {
        Type = SecuritySchemeType.ApiKey,
        In = ParameterLocation.Header,
        Name = header,
        Description = description,
    };

    private static void Require(OpenApiDocument document, string path, string scheme)
    {
        if (document.Paths?.TryGetValue(path, out var item) != true || item!.Operations is null)
        {
            return;
        }
        foreach (var operation in item.Operations.Values)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] });
        }
    }
}

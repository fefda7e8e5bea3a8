using System.Text.Json;
using System.Text.Json.Serialization;

namespace Funnel.Cli.Hosting;

/// <summary>The one JSON document a --json command prints on stdout (snake_case, as ../shared/CLI.md shows).</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static readonly JsonSerializerOptions Api = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Write<T>(T document) => Console.Out.WriteLine(JsonSerializer.Serialize(document, Options));

    /// <summary>A document the HTTP API also returns, with the API's field names (camelCase), so scripts read both alike.</summary>
    public static void WriteAsApi<T>(T document) => Console.Out.WriteLine(JsonSerializer.Serialize(document, Api));
}

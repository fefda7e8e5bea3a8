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

    public static void Write<T>(T document) => Console.Out.WriteLine(JsonSerializer.Serialize(document, Options));
}

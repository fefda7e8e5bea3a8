using System.Text.Json;
using Funnel.Core;

namespace Funnel.Cli.Hosting;

/// <summary>The one JSON document a --json command prints on stdout.</summary>
internal static class JsonOutput
{
    /// <summary>A document for scripts, in the contract's snake_case (../shared/CLI.md).</summary>
    public static void Write<T>(T document) => Console.Out.WriteLine(JsonSerializer.Serialize(document, FunnelJson.Documents));

    /// <summary>A document the HTTP API also returns, with the API's field names (camelCase), so scripts read both alike.</summary>
    public static void WriteAsApi<T>(T document) => Console.Out.WriteLine(JsonSerializer.Serialize(document, FunnelJson.ApiIndented));
}

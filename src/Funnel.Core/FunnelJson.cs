using System.Text.Json;
using System.Text.Json.Serialization;

namespace Funnel.Core;

/// <summary>
/// The JSON policies, one per kind of document, so no file or stream picks its own. Every policy
/// writes NaN and ±∞ by name: a run without validation queries has NaN recalls, and a checkpoint
/// that has seen no validation keeps a best recall of −∞.
/// </summary>
public static class FunnelJson
{
    /// <summary>
    /// What Funnel writes to disk and reads back (manifests, checkpoints, report data): camelCase,
    /// enums by name, indented for people who open the files.
    /// </summary>
    public static readonly JsonSerializerOptions Files = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// The documents commands print for scripts (<c>--json</c>) and the reports' JSON beside them:
    /// snake_case, as ../shared/CLI.md fixes.
    /// </summary>
    public static readonly JsonSerializerOptions Documents = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// The HTTP API's bodies: camelCase (ASP.NET's web defaults), nulls left out, unknown members
    /// refused when reading, so a misspelt field is an error rather than a silently ignored one.
    /// </summary>
    public static readonly JsonSerializerOptions Api = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary><see cref="Api"/>, indented: what <c>funnel recommend --json</c> prints.</summary>
    public static readonly JsonSerializerOptions ApiIndented = new(Api) { WriteIndented = true };
}

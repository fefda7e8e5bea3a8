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
    /// The HTTP API's bodies: camelCase, nulls left out, and read strictly, so a body means one thing:
    /// unknown members, names in another case, numbers sent as strings and duplicate keys are errors
    /// rather than silently ignored, matched or overwritten.
    /// </summary>
    public static readonly JsonSerializerOptions Api = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = false,
        NumberHandling = JsonNumberHandling.Strict,
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Sets <paramref name="options"/> (ASP.NET Core's HTTP JSON options) to <see cref="Api"/>'s policy.</summary>
    public static void CopyApiPolicy(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = Api.PropertyNamingPolicy;
        options.PropertyNameCaseInsensitive = Api.PropertyNameCaseInsensitive;
        options.NumberHandling = Api.NumberHandling;
        options.AllowDuplicateProperties = Api.AllowDuplicateProperties;
        options.UnmappedMemberHandling = Api.UnmappedMemberHandling;
        options.DefaultIgnoreCondition = Api.DefaultIgnoreCondition;
    }

    /// <summary><see cref="Api"/>, indented: what <c>funnel recommend --json</c> prints.</summary>
    public static readonly JsonSerializerOptions ApiIndented = new(Api) { WriteIndented = true };
}

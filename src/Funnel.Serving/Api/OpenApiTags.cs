namespace Funnel.Serving.Api;

/// <summary>The groups the API reference shows the endpoints in (named for what a client does, not for the classes that serve them).</summary>
internal static class OpenApiTags
{
    /// <summary>Slates.</summary>
    public const string Recommendations = "Recommendations";

    /// <summary>What users did.</summary>
    public const string Events = "Events";

    /// <summary>Model swaps and catalogue changes, behind the admin key.</summary>
    public const string Admin = "Admin";

    /// <summary>Health, readiness and metrics.</summary>
    public const string Operations = "Operations";
}

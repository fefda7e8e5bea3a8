using Funnel.Data.Model;
using Funnel.Serving.Contracts;

namespace Funnel.Serving.Store;

/// <summary>A logged user's profile as the context a client would send with their request.</summary>
public static class ProfileContext
{
    /// <summary>Device, region and language, and the gender and age the profile records (unknowns left out).</summary>
    public static RecommendationContext Of(User profile) => new(
        NullIfEmpty(profile.Device),
        NullIfEmpty(profile.Region),
        NullIfEmpty(profile.Language),
        profile.Gender switch { Gender.Female => "female", Gender.Male => "male", _ => null },
        profile.Age > 0 ? profile.Age : null);

    /// <summary>
    /// The request's context with what it leaves out taken from the user's stored profile: what the
    /// client says now (a trip abroad, another device) wins over what the logs said.
    /// </summary>
    public static RecommendationContext Merge(RecommendationContext? request, RecommendationContext? stored) =>
        stored is null ? request ?? new RecommendationContext()
        : request is null ? stored
        : new RecommendationContext(request.Device ?? stored.Device, request.Region ?? stored.Region, request.Language ?? stored.Language, request.Gender ?? stored.Gender, request.Age ?? stored.Age);

    /// <summary>Whether the context says anything.</summary>
    public static bool IsEmpty(RecommendationContext context) => context == new RecommendationContext();

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}

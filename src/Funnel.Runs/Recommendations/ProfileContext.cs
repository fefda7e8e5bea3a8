using Funnel.Data.Model;
using Funnel.Serving.Contracts;

namespace Funnel.Runs.Recommendations;

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

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}

namespace Funnel.Data.Model;

/// <summary>
/// A user and the demographics the candidate network reads. A dataset lists users in order; a
/// user's position in that list is the dense index events refer to.
/// </summary>
/// <param name="Id">The external id, as the source logs spell it.</param>
/// <param name="Age">Age in years; 0 when unknown.</param>
/// <param name="Gender">Gender, or <see cref="Gender.Unknown"/>.</param>
/// <param name="Region">Country or region code; empty when unknown.</param>
/// <param name="Device">Device class; empty when unknown.</param>
/// <param name="Language">Preferred language code; empty when unknown.</param>
/// <param name="Occupation">Occupation; empty when unknown.</param>
public sealed record User(
    string Id,
    int Age,
    Gender Gender,
    string Region,
    string Device,
    string Language,
    string Occupation = "");

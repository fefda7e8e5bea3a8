using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Funnel.Serving.Api;

/// <summary>Checks a key header against the configured key, in constant time, so a wrong key's timing tells nothing.</summary>
public static class KeyCheck
{
    /// <summary>
    /// The admin endpoints' check: a 403 naming <paramref name="what"/> as disabled when no API key is
    /// configured, else <see cref="Refusal"/> of the X-Api-Key header; null when the request may proceed.
    /// </summary>
    public static (IResult Result, int Status)? AdminRefusal(HttpRequest request, string? apiKey, string what) =>
        apiKey is null
            ? (Problems.Of(StatusCodes.Status403Forbidden, "Forbidden", $"{what} are disabled: no API key is configured (funnel serve --api-key or FUNNEL_API_KEY)"), StatusCodes.Status403Forbidden)
            : Refusal(request, AdminEndpoints.ApiKeyHeader, apiKey);

    /// <summary>Null when <paramref name="request"/> carries <paramref name="expected"/> in <paramref name="header"/>; else the 401 (no key) or 403 (a wrong one) to answer.</summary>
    public static (IResult Result, int Status)? Refusal(HttpRequest request, string header, string expected)
    {
        if (!request.Headers.TryGetValue(header, out var given) || string.IsNullOrEmpty(given))
        {
            return (Problems.Of(StatusCodes.Status401Unauthorized, "Unauthorized", $"the {header} header is required"), StatusCodes.Status401Unauthorized);
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given.ToString()), Encoding.UTF8.GetBytes(expected))
            ? null
            : (Problems.Of(StatusCodes.Status403Forbidden, "Forbidden", $"the {header} key is not valid"), StatusCodes.Status403Forbidden);
    }
}

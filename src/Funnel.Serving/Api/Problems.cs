using Microsoft.AspNetCore.Http;

namespace Funnel.Serving.Api;

/// <summary>RFC 7807 problem responses, with the field at fault named in the detail.</summary>
public static class Problems
{
    /// <summary>A problem response with <paramref name="status"/>.</summary>
    public static IResult Of(int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title, type: $"https://httpstatuses.io/{status}");

    /// <summary>400: the request is not acceptable as sent.</summary>
    public static IResult BadRequest(string detail) => Of(StatusCodes.Status400BadRequest, "Invalid request", detail);

    /// <summary>The problem for an unreadable body.</summary>
    public static IResult Body(BadRequestBodyException error) =>
        Of(error.Status, error.Status switch
        {
            StatusCodes.Status413PayloadTooLarge => "Request body too large",
            StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
            _ => "Invalid request",
        }, error.Message);

    /// <summary>503: a dependency (the model or the store) is not available.</summary>
    public static IResult Unavailable(string detail) => Of(StatusCodes.Status503ServiceUnavailable, "Service unavailable", detail);
}

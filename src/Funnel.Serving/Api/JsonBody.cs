using System.Text.Json;
using System.Text.RegularExpressions;
using Funnel.Core;
using Microsoft.AspNetCore.Http;

namespace Funnel.Serving.Api;

/// <summary>A request body that could not be read: the status and what to tell the client.</summary>
public sealed class BadRequestBodyException(int status, string detail) : Exception(detail)
{
    /// <summary>400 or 413.</summary>
    public int Status { get; } = status;
}

/// <summary>
/// Reads JSON request bodies strictly: at most the configured size (counted while reading, whatever
/// the server enforces), no unknown fields, errors that name the line and the JSON path.
/// </summary>
public static partial class JsonBody
{
    /// <summary>Reads a <typeparamref name="T"/>; an empty body is null.</summary>
    public static async Task<T?> ReadAsync<T>(HttpRequest request, int maxBytes, CancellationToken cancellation)
        where T : class
    {
        if (request.ContentLength > maxBytes)
        {
            throw new BadRequestBodyException(StatusCodes.Status413PayloadTooLarge, $"the body has {request.ContentLength:N0} bytes; at most {maxBytes:N0} are accepted");
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellation).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw new BadRequestBodyException(StatusCodes.Status413PayloadTooLarge, $"the body exceeds {maxBytes:N0} bytes");
                }
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException error)
        {
            throw new BadRequestBodyException(error.StatusCode, error.Message);
        }
        if (buffer.Length == 0)
        {
            return null;
        }
        // A body without a JSON content type is what a browser sends cross-site without a preflight.
        if (!request.HasJsonContentType())
        {
            throw new BadRequestBodyException(StatusCodes.Status415UnsupportedMediaType, $"the body must be sent as application/json, not '{request.ContentType ?? "(no Content-Type)"}'");
        }
        try
        {
            return JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), FunnelJson.Api);
        }
        catch (JsonException error)
        {
            var where = error.LineNumber is { } line ? $" (line {line + 1}, path {error.Path})" : "";
            throw new BadRequestBodyException(StatusCodes.Status400BadRequest, $"malformed JSON{where}: {Explain(FirstSentence(error.Message))}");
        }
    }

    /// <summary>The serializer's sentence in the API's terms: fields and values, never the service's .NET type names.</summary>
    private static string Explain(string sentence)
    {
        var unknown = UnknownMember().Match(sentence);
        if (unknown.Success)
        {
            return $"unknown field '{unknown.Groups["name"].Value}' (names are camelCase, as docs/serving.md lists them).";
        }
        var duplicate = DuplicateMember().Match(sentence);
        if (duplicate.Success)
        {
            return $"the field '{duplicate.Groups["name"].Value}' appears twice.";
        }
        return TypeName().Replace(sentence, "the expected type");
    }

    [GeneratedRegex(@"The JSON property '(?<name>[^']*)' could not be mapped to any \.NET member")]
    private static partial Regex UnknownMember();

    [GeneratedRegex(@"Duplicate property '(?<name>[^']*)'")]
    private static partial Regex DuplicateMember();

    [GeneratedRegex(@"'?\b(?:Funnel|System)(?:\.[\w`]+)+(?:\[[^\]]*\])?'?")]
    private static partial Regex TypeName();

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}

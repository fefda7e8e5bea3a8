using System.Globalization;
using System.Threading.RateLimiting;
using Funnel.Serving.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Funnel.Serving.Hosting;

/// <summary>
/// ASP.NET Core's rate limiter, one token bucket per client address: a client that floods the
/// service gets 429 with Retry-After instead of filling its store and its CPU. Health, readiness and
/// metrics stay unlimited so probes never fail because of a noisy client.
/// </summary>
internal static class ClientRateLimit
{
    private static readonly HashSet<string> Unlimited = new(StringComparer.Ordinal) { "/healthz", "/readyz", "/metrics" };

    public static void Configure(RateLimiterOptions limiter, int perSecond)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            Unlimited.Contains(context.Request.Path.Value ?? "")
                ? RateLimitPartition.GetNoLimiter("probes")
                : RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        limiter.OnRejected = async (rejected, cancellation) =>
        {
            var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
            rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await Problems.Of(StatusCodes.Status429TooManyRequests, "Too many requests", $"at most {perSecond:N0} requests per second per client; retry after {seconds} s")
                .ExecuteAsync(rejected.HttpContext).ConfigureAwait(false);
        };
    }
}

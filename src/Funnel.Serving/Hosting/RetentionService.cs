using Funnel.Serving.Api;
using Funnel.Serving.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Funnel.Serving.Hosting;

/// <summary>
/// Applies the store's retention policy every <see cref="Interval"/>: between two rounds the store
/// can exceed its user bound only by the users first seen in that interval.
/// </summary>
/// <param name="store">The store whose users are forgotten.</param>
/// <param name="recovery">A store that did not recover is left as it is.</param>
/// <param name="logger">Where forgotten users and failed rounds are reported.</param>
internal sealed partial class RetentionService(RedisEventStore store, StoreRecovery recovery, ILogger<RetentionService> logger) : BackgroundService
{
    /// <summary>Time between two rounds.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (recovery.Failure is not null)
        {
            return;
        }
        try
        {
            var dated = await store.DateUndatedUsersAsync().ConfigureAwait(false);
            if (dated > 0)
            {
                LogDated(logger, dated);
            }
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(logger, exception.Message);
        }
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var forgotten = await store.ForgetAsync().ConfigureAwait(false);
                ServiceMetrics.UsersForgotten.Inc(forgotten);
                ServiceMetrics.StoreUsers.Set(await store.CountUsersAsync().ConfigureAwait(false));
                if (forgotten > 0)
                {
                    LogForgotten(logger, forgotten);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The store may be restarting or briefly unreachable, or answer something unexpected:
                // a failed round must not stop the service; the next one tries again.
                LogFailed(logger, exception.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "retention: forgot {Users} users (idle too long, or least recently active beyond the user bound)")]
    private static partial void LogForgotten(ILogger logger, int users);

    [LoggerMessage(Level = LogLevel.Information, Message = "retention: dated {Users} users stored before users were dated, as of now")]
    private static partial void LogDated(ILogger logger, int users);

    [LoggerMessage(Level = LogLevel.Warning, Message = "retention: a round failed ({Reason}); the next one tries again")]
    private static partial void LogFailed(ILogger logger, string reason);
}

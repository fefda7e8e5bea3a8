using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Funnel.Serving.Store;

/// <summary>
/// Listens to the embedded Garnet's log while it starts and replays its append-only file: Garnet
/// reports a replay it could not finish as an error and starts anyway, so an error seen here means
/// the store holds less than it acknowledged. Garnet 2.2 also serves on, logging below the error
/// level, when its store recovery fails or no checkpoint could be read or found; that loses data only when
/// the append-only file was truncated after a checkpoint (its replay then starts past the
/// beginning), so those two together count as an error too, while an unreadable checkpoint beside
/// a whole file (a crash during the first checkpoint: the replay restores everything) does not.
/// </summary>
internal sealed partial class RecoveryLog : ILoggerProvider, ILogger
{
    /// <summary>Where an append-only file that was never truncated begins (its header).</summary>
    private const long UntruncatedBegin = 64;

    /// <summary>How Garnet 2.2.8 begins the messages that say no checkpoint was restored.</summary>
    private static readonly string[] CheckpointLostMessages = ["Error during recovery of store", "Unable to read any of the", "No Hybrid Log found for recovery"];

    private readonly Lock gate = new();
    private readonly List<string> errors = [];
    private string? checkpointLost;
    private long aofBegin;

    /// <summary>The errors logged so far, and a lost checkpoint when the file's replay cannot make up for it.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (gate)
            {
                return checkpointLost is not null && aofBegin > UntruncatedBegin
                    ? [.. errors, string.Create(CultureInfo.InvariantCulture, $"{checkpointLost}, and the append-only file begins at {aofBegin} (truncated after that checkpoint), so the events before it are gone")]
                    : [.. errors];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }
        var message = formatter(state, exception).ReplaceLineEndings(" ");
        lock (gate)
        {
            if (logLevel >= LogLevel.Error)
            {
                errors.Add(exception is null ? message : $"{message} ({exception.GetType().Name}: {exception.Message})");
            }
            else if (CheckpointLostMessages.Any(lost => message.StartsWith(lost, StringComparison.Ordinal)))
            {
                checkpointLost = message;
            }
            else if (AofBegin().Match(message) is { Success: true } begin)
            {
                aofBegin = long.Parse(begin.Groups[1].Value, CultureInfo.InvariantCulture);
            }
        }
    }

    public void Dispose()
    {
    }

    [GeneratedRegex(@"^Recovered AOF: begin address = (\d+)")]
    private static partial Regex AofBegin();
}

using Microsoft.Extensions.Logging;

namespace Funnel.Serving.Store;

/// <summary>
/// Listens to the embedded Garnet's log while it starts and replays its append-only file: Garnet
/// reports a replay it could not finish as an error and starts anyway, so an error seen here means
/// the store holds less than it acknowledged. Warnings and errors also go to the service's own log.
/// </summary>
internal sealed class RecoveryLog : ILoggerProvider, ILogger
{
    private readonly Lock gate = new();
    private readonly List<string> errors = [];

    /// <summary>The errors logged so far.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (gate)
            {
                return [.. errors];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }
        var message = formatter(state, exception);
        if (exception is not null)
        {
            message = $"{message} ({exception.GetType().Name}: {exception.Message})";
        }
        lock (gate)
        {
            errors.Add(message.ReplaceLineEndings(" "));
        }
    }

    public void Dispose()
    {
    }
}

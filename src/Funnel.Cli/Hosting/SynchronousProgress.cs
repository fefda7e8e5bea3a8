namespace Funnel.Cli.Hosting;

/// <summary>
/// An IProgress that reports on the caller's thread, in order (Progress&lt;T&gt; posts to the
/// thread pool, which can reorder lines and print after the command finished).
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

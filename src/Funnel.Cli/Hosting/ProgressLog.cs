using System.Diagnostics;

namespace Funnel.Cli.Hosting;

/// <summary>
/// Plain progress lines on stderr, at most one every two seconds plus the last: readable on a
/// terminal and in a redirected log alike, and never mixed into --json output on stdout.
/// </summary>
internal sealed class ProgressLog(string task)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly Stopwatch sinceLast = Stopwatch.StartNew();

    /// <summary>Logs done/total with a rate and an ETA; <paramref name="detail"/> is appended.</summary>
    public void Report(long done, long total, TimeSpan elapsed, string detail)
    {
        if (done < total && sinceLast.Elapsed < Interval)
        {
            return;
        }
        sinceLast.Restart();
        var fraction = total == 0 ? 1.0 : (double)done / total;
        var eta = fraction > 0 ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - fraction) / fraction) : TimeSpan.Zero;
        Console.Error.WriteLine(FormattableString.Invariant($"{task}: {fraction,6:P1} {done:N0}/{total:N0} {detail} elapsed {elapsed:mm\\:ss} ETA {eta:mm\\:ss}"));
    }

    public static void Line(string text) => Console.Error.WriteLine(text);
}

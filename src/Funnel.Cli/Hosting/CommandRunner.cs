using Funnel.Core;

namespace Funnel.Cli.Hosting;

/// <summary>
/// Runs a command body and turns failures into the contract's one-line error on stderr and a
/// non-zero exit code; a stack trace only with FUNNEL_DEBUG=1.
/// </summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("funnel: cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception error) when (error is DataFormatException or ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            await ReportAsync(error);
            return ExitCodes.BadInput;
        }
        catch (Exception error) when (error is IOException or InvalidOperationException or NotSupportedException or UnauthorizedAccessException)
        {
            await ReportAsync(error);
            return ExitCodes.Failure;
        }
    }

    private static async Task ReportAsync(Exception error)
    {
        await Console.Error.WriteLineAsync("funnel: error: " + error.Message.ReplaceLineEndings(" "));
        if (Environment.GetEnvironmentVariable("FUNNEL_DEBUG") == "1")
        {
            await Console.Error.WriteLineAsync(error.ToString());
        }
    }
}

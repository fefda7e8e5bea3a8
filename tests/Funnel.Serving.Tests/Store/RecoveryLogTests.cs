using Funnel.Serving.Store;
using Microsoft.Extensions.Logging;

namespace Funnel.Serving.Tests.Store;

public sealed class RecoveryLogTests
{
    private static List<string> ErrorsAfter(params (LogLevel Level, string Message)[] lines)
    {
        using var recovery = new RecoveryLog();
        var logger = recovery.CreateLogger("Garnet");
        foreach (var (level, message) in lines)
        {
            logger.Log(level, default, message, null, (text, _) => text);
        }
        return [.. recovery.Errors];
    }

    [Fact]
    public void An_error_counts_as_a_failed_recovery() =>
        Assert.Equal(["AofProcessor.RecoverReplay: No nested transactions expected"], ErrorsAfter((LogLevel.Error, "AofProcessor.RecoverReplay: No nested transactions expected")));

    [Theory]
    [InlineData("Error during recovery of store; storeVersion = 3; objectStoreVersion = 3")]
    [InlineData("Unable to read any of the 2 HybridLog checkpoint token(s) found on disk (DB ID: 0); storeVersion = 1")]
    [InlineData("No Hybrid Log found for recovery; storeVersion = 0; checkpoint tokens found: 0, unreadable: 0")]
    public void A_checkpoint_lost_after_the_file_was_truncated_counts_and_names_both(string lost)
    {
        var errors = ErrorsAfter((LogLevel.Information, lost), (LogLevel.Information, "Recovered AOF: begin address = 1048640, tail address = 1200000, DB ID: 0"));

        var error = Assert.Single(errors);
        Assert.StartsWith(lost, error, StringComparison.Ordinal);
        Assert.Contains("begins at 1048640", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_lost_beside_a_whole_file_does_not_count_the_replay_restores_everything() =>
        Assert.Empty(ErrorsAfter(
            (LogLevel.Information, "Unable to read any of the 1 HybridLog checkpoint token(s) found on disk (DB ID: 0); storeVersion = 1"),
            (LogLevel.Information, "Recovered AOF: begin address = 64, tail address = 288624, DB ID: 0")));

    [Fact]
    public void Ordinary_start_up_messages_do_not_count() =>
        Assert.Empty(ErrorsAfter(
            (LogLevel.Warning, "Received an external ILoggerFactory object. The following configuration options are ignored"),
            (LogLevel.Warning, "Skipping unreadable HybridLog checkpoint: 0f3c"),
            (LogLevel.Information, "Recovered AOF: begin address = 2097216, tail address = 2300000, DB ID: 0")));

    [Fact]
    public void A_new_store_has_no_checkpoint_and_a_whole_file() =>
        Assert.Empty(ErrorsAfter(
            (LogLevel.Information, "No Hybrid Log found for recovery; storeVersion = 0; checkpoint tokens found: 0, unreadable: 0"),
            (LogLevel.Information, "Recovered AOF: begin address = 64, tail address = 64, DB ID: 0")));
}

using Funnel.Cli.Commands;
using Funnel.Data.Synthetic;

namespace Funnel.Cli.Tests;

public sealed class ServeCommandTests
{
    [Theory]
    [InlineData("893286639", 893_286_639L)]
    [InlineData("1998-04-22T23:10:39Z", 893_286_639L)]
    [InlineData("1998-04-22 23:10:39", 893_286_639L)]
    public void Now_takes_unix_seconds_or_an_iso_time(string now, long expected) =>
        Assert.Equal(expected, ServeCommand.FixedTime(now, history: null));

    [Theory]
    [InlineData("yesterday", "--now: expected Unix seconds, an ISO-8601 time or history-end")]
    [InlineData("12", "--now: must be from 631152000 (1990)")]
    [InlineData("history-end", "--now history-end: needs --history DATA")]
    public void A_bad_now_is_refused_naming_the_option(string now, string message) =>
        Assert.StartsWith(message, Assert.Throws<ArgumentException>(() => ServeCommand.FixedTime(now, history: null)).Message, StringComparison.Ordinal);

    [Fact]
    public async Task History_end_is_one_second_after_the_datasets_last_event()
    {
        using var temp = new TempFolder();
        await WorldGenerator.GenerateAsync(new WorldOptions(Users: 20, Videos: 40, Days: 2, Seed: 3), temp.Combine("world"));
        var end = Funnel.Data.Storage.DatasetManifest.Read(Path.Combine(temp.Combine("world"), "manifest.json")).EndTime;

        Assert.Equal(end + 1, ServeCommand.FixedTime("history-end", temp.Combine("world")));
        Assert.Null(ServeCommand.FixedTime(null, temp.Combine("world")));
    }
}

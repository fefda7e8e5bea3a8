using Funnel.Serving.Store;
using StackExchange.Redis;

namespace Funnel.Serving.Tests.Store;

public sealed class EmbeddedGarnetTests
{
    [Fact]
    public async Task Acknowledged_writes_survive_a_restart_of_the_embedded_store()
    {
        var folder = Directory.CreateTempSubdirectory("funnel-garnet-").FullName;
        try
        {
            using (var store = EmbeddedGarnet.Start(folder))
            using (var connection = await ConnectionMultiplexer.ConnectAsync(store.ConnectionString))
            {
                var db = connection.GetDatabase();
                for (var i = 0; i < 100; i++)
                {
                    await db.ListRightPushAsync("events:u1", $"e{i}");
                }
            }

            using var restarted = EmbeddedGarnet.Start(folder);
            using var again = await ConnectionMultiplexer.ConnectAsync(restarted.ConnectionString);
            var values = await again.GetDatabase().ListRangeAsync("events:u1");

            Assert.Equal(Enumerable.Range(0, 100).Select(i => $"e{i}"), values.Select(v => (string)v!));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

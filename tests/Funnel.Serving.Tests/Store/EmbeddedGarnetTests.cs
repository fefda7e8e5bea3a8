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
            using (var connection = await ConnectionMultiplexer.ConnectAsync(store.Connection))
            {
                var db = connection.GetDatabase();
                for (var i = 0; i < 100; i++)
                {
                    await db.ListRightPushAsync("events:u1", $"e{i}");
                }
            }

            using var restarted = EmbeddedGarnet.Start(folder);
            using var again = await ConnectionMultiplexer.ConnectAsync(restarted.Connection);
            var values = await again.GetDatabase().ListRangeAsync("events:u1");

            Assert.Equal(Enumerable.Range(0, 100).Select(i => $"e{i}"), values.Select(v => (string)v!));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Past_its_limit_the_append_only_file_is_replaced_by_a_checkpoint_and_nothing_is_lost()
    {
        var folder = Directory.CreateTempSubdirectory("funnel-garnet-").FullName;
        try
        {
            const long limit = 8 << 20;
            // Segments of 4 MB, so the test can watch truncation free them on disk.
            var small = StoreGeometry.Default with { LogSegmentBytes = 4 << 20 };
            var value = new string('x', 1_000);
            using (var store = EmbeddedGarnet.Start(folder, limit, small))
            using (var connection = await ConnectionMultiplexer.ConnectAsync(store.Connection))
            {
                var db = connection.GetDatabase();
                for (var i = 0; i < 40_000; i += 1_000)
                {
                    await Task.WhenAll(Enumerable.Range(i, 1_000).Select(k => db.ListRightPushAsync($"events:u{k % 100}", $"{k}:{value}")));
                }
                Assert.NotEmpty(Directory.EnumerateFiles(folder, "aof.log*", SearchOption.AllDirectories));
                var waited = System.Diagnostics.Stopwatch.StartNew();
                while (LogBytes(folder) > 2 * limit && waited.Elapsed < TimeSpan.FromSeconds(30))
                {
                    await Task.Delay(200);
                }
                Assert.True(LogBytes(folder) <= 2 * limit, $"append-only file still {LogBytes(folder):N0} bytes after 40 MB of writes");
            }

            // Restarted with the default geometry asked for: the store keeps the one it was made with.
            using var restarted = EmbeddedGarnet.Start(folder, limit);
            Assert.Equal(small, StoreGeometry.For(folder, StoreGeometry.Default));
            using var again = await ConnectionMultiplexer.ConnectAsync(restarted.Connection);
            Assert.Null(restarted.RecoveryFailure);
            for (var u = 0; u < 100; u++)
            {
                var values = await again.GetDatabase().ListRangeAsync($"events:u{u}");
                Assert.Equal(Enumerable.Range(0, 400).Select(k => $"{u + (100 * k)}:{value}"), values.Select(v => (string)v!));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The bytes of the append-only file's segments in a store folder.</summary>
    private static long LogBytes(string folder) =>
        Directory.EnumerateFiles(folder, "aof.log*", SearchOption.AllDirectories).Sum(file => new FileInfo(file).Length);

    [Fact]
    public void A_store_written_before_its_geometry_was_recorded_keeps_garnets_sizes()
    {
        var folder = Directory.CreateTempSubdirectory("funnel-garnet-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "checkpoints", "AOF"));
            File.WriteAllBytes(Path.Combine(folder, "checkpoints", "AOF", "aof.log.0"), [0]);

            Assert.Equal(StoreGeometry.Legacy, StoreGeometry.For(folder, StoreGeometry.Default));
            Assert.False(File.Exists(Path.Combine(folder, StoreGeometry.FileName)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Each_store_is_reached_through_a_socket_only_its_user_can_reach_and_holds_only_its_own_writes()
    {
        var folders = Enumerable.Range(0, 6).Select(_ => Directory.CreateTempSubdirectory("funnel-garnet-").FullName).ToList();
        try
        {
            // Started at once, as a test suite's services start beside each other: before, two of
            // them could share a TCP port and one's writes land in the other.
            var stores = await Task.WhenAll(folders.Select(folder => Task.Run(() => EmbeddedGarnet.Start(folder))));
            var sockets = stores.Select(s => Path.GetDirectoryName(s.SocketPath)!).ToList();
            try
            {
                for (var i = 0; i < stores.Length; i++)
                {
                    using var connection = await ConnectionMultiplexer.ConnectAsync(stores[i].Connection);
                    await connection.GetDatabase().StringSetAsync("owner", $"store-{i}");
                }
                for (var i = 0; i < stores.Length; i++)
                {
                    using var connection = await ConnectionMultiplexer.ConnectAsync(stores[i].Connection);
                    Assert.Equal($"store-{i}", (string?)await connection.GetDatabase().StringGetAsync("owner"));
                    Assert.IsType<System.Net.Sockets.UnixDomainSocketEndPoint>(Assert.Single(connection.GetEndPoints()));
                    if (!OperatingSystem.IsWindows())
                    {
                        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(sockets[i]));
                    }
                }
            }
            finally
            {
                foreach (var store in stores)
                {
                    store.Dispose();
                }
            }

            Assert.All(sockets, folder => Assert.False(Directory.Exists(folder), $"{folder} left behind"));
        }
        finally
        {
            folders.ForEach(folder => Directory.Delete(folder, recursive: true));
        }
    }

    [Fact]
    public void A_new_store_removes_the_socket_folders_of_dead_stores_and_leaves_live_ones()
    {
        var folder = Directory.CreateTempSubdirectory("funnel-garnet-").FullName;
        // As a store killed with SIGKILL leaves its folder: the lock file there, held by no one.
        var dead = Directory.CreateTempSubdirectory("funnel-store-");
        File.WriteAllText(Path.Combine(dead.FullName, "owner.lock"), "");
        File.WriteAllText(Path.Combine(dead.FullName, "garnet.sock"), "");
        // A folder another process has just made and not yet locked.
        var settling = Directory.CreateTempSubdirectory("funnel-store-");
        try
        {
            using var live = EmbeddedGarnet.Start(folder);
            using var next = EmbeddedGarnet.Start(folder + "-next");

            Assert.False(Directory.Exists(dead.FullName), "a dead store's folder was left");
            Assert.True(Directory.Exists(settling.FullName), "a folder being made was removed");
            Assert.True(File.Exists(live.SocketPath), "a running store's socket was removed");
        }
        finally
        {
            settling.Delete(recursive: true);
            Directory.Delete(folder, recursive: true);
            Directory.Delete(folder + "-next", recursive: true);
        }
    }
}

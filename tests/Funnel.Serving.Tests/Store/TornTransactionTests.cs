using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using Funnel.Serving.Contracts;
using Funnel.Serving.Store;

namespace Funnel.Serving.Tests.Store;

/// <summary>
/// A store whose append-only file holds a transaction torn by kill -9 (Fixtures/README.md): Garnet
/// replays it only partly and starts anyway; the service must notice and refuse to serve.
/// </summary>
[Collection(ServingTests.Name)]
public sealed class TornTransactionTests(ServedModel served) : IDisposable
{
    private readonly TempFolder temp = new();

    [Fact]
    public void The_embedded_store_reports_a_replay_that_stopped_early()
    {
        using var garnet = EmbeddedGarnet.Start(Unpack());

        Assert.NotNull(garnet.RecoveryFailure);
        Assert.Contains("did not replay its whole append-only file", garnet.RecoveryFailure, StringComparison.Ordinal);
        Assert.Contains("No nested transactions expected", garnet.RecoveryFailure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_on_a_partly_recovered_store_is_unready_and_refuses_reads_and_writes()
    {
        await using var service = await ServedModel.StartAsync(new ServiceOptions(served.Model, StoreFolder: Unpack()));

        using var ready = await service.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("did not replay its whole append-only file", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Writing after the point a restart stops replaying at would lose the write on the next restart.
        using var write = await service.Client.PostAsJsonAsync("/v1/events", new EventBatch("u1", [new EventRequest("search", Query: "cats", Time: 1_700_000_000)]));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);

        // Serving from the replayed part would show users less than they did.
        using var read = await service.Client.PostAsJsonAsync("/v1/recommendations", new RecommendationRequest("u1", 3));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
    }

    [Fact]
    public void A_fresh_store_recovers_whole()
    {
        using var garnet = EmbeddedGarnet.Start(temp.Combine("fresh"));

        Assert.Null(garnet.RecoveryFailure);
    }

    public void Dispose() => temp.Dispose();

    private string Unpack()
    {
        var folder = Directory.CreateDirectory(temp.Combine($"torn-{Guid.NewGuid():N}")).FullName;
        using var archive = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Store", "Fixtures", "torn-transaction-store.tar.gz"));
        using var unzipped = new GZipStream(archive, CompressionMode.Decompress);
        TarFile.ExtractToDirectory(unzipped, folder, overwriteFiles: false);
        return folder;
    }
}

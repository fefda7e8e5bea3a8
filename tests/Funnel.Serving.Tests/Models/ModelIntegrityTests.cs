using System.Net;
using System.Text;
using System.Text.Json;
using Funnel.Ranking.Inference;
using Funnel.Serving.Api;
using Funnel.Serving.Models;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace Funnel.Serving.Tests.Models;

/// <summary>A model folder is checked end to end before it serves: checksums of every file, then a canary request.</summary>
[Collection(ServingTests.Name)]
public sealed class ModelIntegrityTests(ServedModel served)
{
    [Theory]
    [InlineData("ranking/network.bin", false, "is corrupt")] // overwritten bytes: same size, other content
    [InlineData("candidates/network.bin", true, "truncated")]
    [InlineData("candidates/videos.txt", false, "is corrupt")]
    [InlineData("ranking/catalogue.parquet", true, "truncated")]
    public async Task A_damaged_file_is_refused_by_reload_naming_it_and_the_old_model_keeps_serving(string file, bool truncate, string expected)
    {
        var damaged = Copy(served.OtherModel);
        var path = Path.Combine(damaged, file);
        if (truncate)
        {
            using var stream = File.OpenWrite(path);
            stream.SetLength(stream.Length / 2);
        }
        else
        {
            var bytes = File.ReadAllBytes(path);
            bytes[bytes.Length / 2] ^= 0xFF;
            File.WriteAllBytes(path, bytes);
        }
        await using var service = await served.StartAsync(apiKey: "k");

        var refused = await Reload(service, damaged);
        var text = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains(file.Replace("/", Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal), text, StringComparison.Ordinal);
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task A_ranker_whose_weights_compute_nan_is_refused_by_the_canary_even_with_valid_checksums()
    {
        var poisoned = await PoisonedAsync();
        await using var service = await served.StartAsync(apiKey: "k");

        var refused = await Reload(service, poisoned);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("non-finite expected watch time", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slate_with_a_non_finite_score_is_a_whole_500_never_a_body_cut_after_its_headers()
    {
        // A model the canary passed can still meet a request it scores NaN: swapped in past the canary here.
        var poisoned = await PoisonedAsync();
        await using var service = await served.StartAsync(apiKey: "k");
        service.App.Services.GetRequiredService<ModelHolder>().Swap(await ServingModel.LoadAsync(poisoned));

        var response = await service.PostJsonAsync("/v1/recommendations", "{\"userId\": \"u-nan\", \"k\": 1000}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("NaN or infinite", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>A copy of the other model whose ranker's weights are all NaN, saved with valid checksums.</summary>
    private async Task<string> PoisonedAsync()
    {
        var poisoned = Copy(served.OtherModel);
        using var ranker = RankingModel.Load(poisoned);
        using (no_grad())
        {
            foreach (var (_, parameter) in ranker.Network.named_parameters())
            {
                parameter.fill_(float.NaN);
            }
        }
        var (catalogue, popular) = await RankingModelFolder.ReadCatalogueAsync(poisoned);
        RankingModelFolder.Save(poisoned, ranker.Network, ranker.Space, ranker.Manifest, catalogue, popular, RankingModelFolder.ReadSources(poisoned));
        return poisoned;
    }

    [Fact]
    public async Task A_manifest_without_checksums_is_refused()
    {
        var old = Copy(served.OtherModel);
        var manifest = Path.Combine(old, "ranking", RankingManifest.FileName);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifest))!.AsObject();
        json.Remove("files");
        File.WriteAllText(manifest, json.ToJsonString());
        await using var service = await served.StartAsync(apiKey: "k");

        var refused = await Reload(service, old);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("no file checksums", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model.json", "not a regular file")]
    [InlineData("ranking/network.bin", "has 0 bytes")]
    public async Task A_fifo_in_a_files_place_is_refused_without_reading_it(string file, string expected)
    {
        // Reading a FIFO blocks until something writes to it: a reload must refuse it, not wait.
        var fifo = Copy(served.OtherModel);
        var path = Path.Combine(fifo, file);
        File.Delete(path);
        using (var make = System.Diagnostics.Process.Start("mkfifo", [path]))
        {
            await make.WaitForExitAsync();
        }
        await using var service = await served.StartAsync(apiKey: "k");

        var refused = await Reload(service, fifo).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains(expected, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_served_version_changes_with_the_bytes_of_a_manifest()
    {
        var rewritten = Copy(served.OtherModel);
        var manifest = Path.Combine(rewritten, "ranking", RankingManifest.FileName);
        File.WriteAllText(manifest, System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifest))!.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) + "\n");
        await using var service = await served.StartAsync(apiKey: "k");
        var before = await Reload(service, served.OtherModel);
        var original = await before.Content.ReadAsStringAsync();

        var after = await Reload(service, rewritten);
        var changed = await after.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var originalVersion = JsonDocument.Parse(original).RootElement.GetProperty("modelVersion").GetString()!;
        var changedVersion = JsonDocument.Parse(changed).RootElement.GetProperty("modelVersion").GetString()!;
        Assert.NotEqual(originalVersion, changedVersion);
        // The trained-at part is the same: only the contents' checksum tells them apart.
        Assert.Equal(originalVersion[..originalVersion.LastIndexOf('/')], changedVersion[..changedVersion.LastIndexOf('/')]);
    }

    private string Copy(string model)
    {
        var target = served.NewFolder("copy");
        foreach (var file in Directory.EnumerateFiles(model, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(model, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }

    private static Task<HttpResponseMessage> Reload(RunningService service, string folder)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/admin/models/reload")
        {
            Content = new StringContent($"{{\"path\": {JsonSerializer.Serialize(folder)}}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(AdminEndpoints.ApiKeyHeader, "k");
        return service.Client.SendAsync(request);
    }
}

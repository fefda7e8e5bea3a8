using System.Diagnostics;
using System.Text.Json;
using Funnel.Serving.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Funnel.Serving.Tests.Api;

[Collection(ServingTests.Name)]
public sealed class ApiReferenceTests(ServedModel served)
{
    [Fact]
    public async Task The_document_is_as_strict_as_the_service()
    {
        await using var service = await served.StartAsync();
        using var document = JsonDocument.Parse(await service.Client.GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;
        var schemas = root.GetProperty("components").GetProperty("schemas");
        JsonElement Field(string schema, string field) => schemas.GetProperty(schema).GetProperty("properties").GetProperty(field);
        string[] Required(string schema) => [.. schemas.GetProperty(schema).GetProperty("required").EnumerateArray().Select(e => e.GetString()!)];
        string[] Enum(JsonElement field) => [.. field.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!)];

        Assert.Contains("userId", Required("RecommendationRequest"));
        Assert.Equal("string", Field("RecommendationRequest", "userId").GetProperty("type").GetString());
        // Numbers are numbers: no string alternative and no pattern for one.
        Assert.Equal(JsonValueKind.Array, Field("RecommendationRequest", "k").GetProperty("type").ValueKind);
        Assert.DoesNotContain("string", Field("RecommendationRequest", "k").GetProperty("type").EnumerateArray().Select(e => e.GetString()));
        Assert.False(Field("RecommendationRequest", "k").TryGetProperty("pattern", out _));
        Assert.Equal(["watch", "search", "impression"], Enum(Field("EventRequest", "type")));
        Assert.Equal(["model", "model+popularity", "fallback"], Enum(Field("RecommendationResponse", "servedBy")));
        Assert.Contains("popularity", Enum(Field("RecommendedItem", "source")));
        Assert.Equal(["items", "servedBy", "modelVersion", "time", "scoreUnit"], Required("RecommendationResponse").Intersect(["items", "servedBy", "modelVersion", "time", "scoreUnit"]));
        Assert.True(schemas.GetProperty("EventBatch").TryGetProperty("examples", out _));
        Assert.False(schemas.GetProperty("RecommendationContext").GetProperty("properties").TryGetProperty("genderCode", out _));

        var paths = root.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/metrics", out _));
        string[] Tags(string path) => [.. paths.GetProperty(path).EnumerateObject().First().Value.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)];
        Assert.Equal(["Recommendations"], Tags("/v1/recommendations"));
        Assert.Equal(["Admin"], Tags("/admin/videos"));
        Assert.True(paths.GetProperty("/admin/videos").GetProperty("post").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task A_headless_browser_loads_the_reference_page_and_sees_the_endpoints()
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("no chromium: run deploy/install.sh (Debian's chromium package), as .ci/run does");
        await using var app = await ServiceHost.BuildAsync(new ServiceOptions(served.Model, StoreFolder: served.NewFolder("store")), builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient();
        var page = await http.GetStringAsync($"{address}/scalar/");

        var rendered = await RenderAsync(chromium, $"{address}/scalar/");

        // The summaries come from the OpenAPI document, which only the page's script reads.
        const string Summary = "A slate for the user, ordered by expected watch time";
        Assert.DoesNotContain(Summary, page, StringComparison.Ordinal);
        Assert.Contains(Summary, rendered, StringComparison.Ordinal);
        Assert.Contains("Record a user", rendered, StringComparison.Ordinal);
        Assert.Contains("Load a model folder, validate it, and swap it in atomically", rendered, StringComparison.Ordinal);
        Assert.Contains("Prometheus metrics", rendered, StringComparison.Ordinal);
        Assert.Contains("/v1/recommendations", rendered, StringComparison.Ordinal);
        await app.StopAsync();
    }

    /// <summary>The page's DOM after its scripts ran, as headless Chromium sees it.</summary>
    private static async Task<string> RenderAsync(string chromium, string url)
    {
        var profile = Directory.CreateTempSubdirectory("funnel-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", $"--user-data-dir={profile}", "--virtual-time-budget=20000", "--dump-dom", url })
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start)!;
            var dom = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await errors}");
            return await dom;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}

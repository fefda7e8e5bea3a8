using Funnel.Data.Model;
using Funnel.Data.Storage;
using Funnel.Data.Synthetic;

namespace Funnel.Data.Tests.Synthetic;

/// <summary>One small world shared by the tests of a class (generated once: about a second).</summary>
public sealed class SmallWorld : IAsyncLifetime, IDisposable
{
    public static readonly WorldOptions Options = new(Users: 400, Videos: 2_000, Days: 21, Seed: 7);

    private readonly TempFolder temp = new();

    public Dataset Dataset { get; private set; } = null!;

    public List<Watch> Watches { get; private set; } = null!;

    public List<Search> Searches { get; private set; } = null!;

    public List<Impression> Impressions { get; private set; } = null!;

    public string Path => temp.Combine("world");

    public async Task InitializeAsync()
    {
        await WorldGenerator.GenerateAsync(Options, Path);
        Dataset = await Dataset.OpenAsync(Path);
        Watches = await DatasetReading.AllAsync(Dataset.ReadWatchesAsync());
        Searches = await DatasetReading.AllAsync(Dataset.ReadSearchesAsync());
        Impressions = await DatasetReading.AllAsync(Dataset.ReadImpressionsAsync());
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => temp.Dispose();
}

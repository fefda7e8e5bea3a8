using Funnel.Candidates.Model;
using Funnel.Data.Examples;
using Funnel.Data.Storage;
using Funnel.Data.Synthetic;

namespace Funnel.Candidates.Tests;

/// <summary>A small synthetic world split temporally, generated once per test class (about a second).</summary>
public sealed class TinyWorld : IAsyncLifetime, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("funnel-world-").FullName;

    public DataSplit Split { get; private set; } = null!;

    /// <summary>The world's dataset folder.</summary>
    public string DatasetPath => Path.Combine(folder, "world");

    /// <summary>A small network for this world: 16-d, tower 32 → 16.</summary>
    public CandidateNetworkOptions Network { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await WorldGenerator.GenerateAsync(new WorldOptions(Users: 600, Videos: 1_500, Days: 14, Seed: 3), DatasetPath);
        var timelines = await TimelineLoader.LoadAsync(await Dataset.OpenAsync(DatasetPath));
        Split = DataSplit.Create(timelines, new SplitOptions(), new ExampleOptions());
        var categories = timelines.Categories;
        Network = new CandidateNetworkOptions(Split.Videos.Rows, Split.Tokens.Rows, categories.RegionNames.Length, categories.DeviceNames.Length, categories.LanguageNames.Length, EmbeddingDimension: 16, TowerWidths: [32, 16], CategoryDimension: 4);
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

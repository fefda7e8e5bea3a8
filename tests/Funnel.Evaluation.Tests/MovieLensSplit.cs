using Funnel.Data.Examples;
using Funnel.Data.Import;
using Funnel.Data.Storage;

namespace Funnel.Evaluation.Tests;

/// <summary>MovieLens 100K, imported once per test class, split leave-last-out.</summary>
public sealed class MovieLensSplit : IAsyncLifetime, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("funnel-eval-").FullName;

    public DataSplit Split { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var source = RepositoryPaths.Dataset("ml-100k");
        await MovieLensImporter.ImportAsync(source, Path.Combine(folder, "ml"), new ImportOptions());
        var timelines = await TimelineLoader.LoadAsync(await Dataset.OpenAsync(Path.Combine(folder, "ml")));
        Split = DataSplit.Create(timelines, new SplitOptions(SplitKind.LeaveLastOut), new ExampleOptions());
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

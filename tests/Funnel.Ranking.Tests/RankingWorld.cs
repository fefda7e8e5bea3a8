using Funnel.Data.Synthetic;

namespace Funnel.Ranking.Tests;

/// <summary>A small synthetic world with a small candidate model, made once for a test class.</summary>
public sealed class RankingWorld : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("funnel-ranking-world-").FullName;

    /// <summary>The dataset folder.</summary>
    public string Data => Path.Combine(folder, "world");

    /// <summary>A model folder holding a trained candidate model.</summary>
    public string CandidateModel => Path.Combine(folder, "candidates");

    /// <summary>A fresh folder name under the world's temporary folder.</summary>
    public string NewFolder(string name) => Path.Combine(folder, $"{name}-{Guid.NewGuid():N}");

    /// <summary>Copies the trained candidate model into <paramref name="folder"/>, for a ranker to join it.</summary>
    public void CopyCandidatesTo(string folder)
    {
        foreach (var file in Directory.GetFiles(CandidateModel, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, Path.GetRelativePath(CandidateModel, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public async Task InitializeAsync()
    {
        await WorldGenerator.GenerateAsync(new WorldOptions(Users: 250, Videos: 600, Days: 8, Seed: 7), Data);
        await TinyModels.TrainCandidatesAsync(Data, CandidateModel);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }
}

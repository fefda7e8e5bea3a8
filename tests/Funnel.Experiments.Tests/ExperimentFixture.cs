using Funnel.Data.Synthetic;
using Funnel.Experiments.Arms;
using Funnel.Experiments.Simulation;

namespace Funnel.Experiments.Tests;

/// <summary>A small world cut two days before its end, and its two default arms trained small, made once for the simulation tests.</summary>
public sealed class ExperimentFixture : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("funnel-experiment-").FullName;

    /// <summary>Tiny networks: the tests check the loop, not the models' quality.</summary>
    public static readonly DefaultArmTraining TinyTraining = new(TinyModels.CandidateShape, TinyModels.CandidateTraining(), TinyModels.Ranking());

    public string Data => Path.Combine(folder, "world");

    public ExperimentWorld World { get; private set; } = null!;

    public IReadOnlyList<Arm> Arms { get; private set; } = [];

    public string NewFolder(string name) => Path.Combine(folder, $"{name}-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        await WorldGenerator.GenerateAsync(new WorldOptions(Users: 200, Videos: 600, Days: 10, Seed: 5), Data);
        World = await ExperimentWorld.OpenAsync(Data, days: 2);
        var logged = Path.Combine(folder, "logged");
        await World.WriteLoggedAsync(logged);
        Arms = await DefaultArms.TrainAsync(logged, Path.Combine(folder, "arms"), TinyTraining, seed: 1, log: null, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition("experiment")]
public sealed class ExperimentTests : ICollectionFixture<ExperimentFixture>;

using Funnel.Data.Synthetic;

namespace Funnel.Benchmarks.Data;

/// <summary>The world the data benchmark makes and where it works.</summary>
/// <param name="World">The synthetic world; the defaults give about 10M watches.</param>
/// <param name="WorkDirectory">Scratch folder (deleted afterwards).</param>
/// <param name="BatchSize">Training batch size for the example phase.</param>
public sealed record DataBenchmarkOptions(WorldOptions World, string WorkDirectory, int BatchSize = 512)
{
    /// <summary>About 10M watches: the benchmark size.</summary>
    public static readonly WorldOptions TenMillionWatches = new(Users: 180_000, Videos: 200_000, Days: 30, Seed: 1);
}

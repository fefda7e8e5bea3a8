using Funnel.Candidates.Model;
using Funnel.Candidates.Softmax;
using Funnel.Candidates.Training;
using Funnel.Data.Examples;
using Funnel.Ranking.Training;
using Funnel.Runs.Candidates;
using Funnel.Runs.Ranking;

namespace Funnel.Tests.Shared;

/// <summary>
/// The one recipe of the small models tests train on their small worlds: seconds to train, good
/// enough to exercise every path, not to rank well. Compiled into the test projects that set
/// UsesTinyModels (tests/Directory.Build.props).
/// </summary>
internal static class TinyModels
{
    /// <summary>A 16-d candidate network with one hidden layer.</summary>
    public static readonly NetworkShape CandidateShape = new(EmbeddingDimension: 16, Tower: [16]);

    /// <summary>One epoch of 128-example batches against 64 sampled negatives.</summary>
    public static CandidateTrainingOptions CandidateTraining(int seed = 1) =>
        new(Epochs: 1, BatchSize: 128, Softmax: new SampledSoftmaxOptions(Negatives: 64), Seed: seed);

    /// <summary>A ranker with one hidden layer of 16, one epoch of 128-impression batches.</summary>
    public static RankingRunOptions Ranking(int seed = 1) =>
        new(new RankingTrainingOptions(Epochs: 1, BatchSize: 128, Seed: seed), Tower: [16]);

    /// <summary>Trains the candidate stage of <paramref name="model"/> on <paramref name="data"/> (temporal split).</summary>
    public static Task TrainCandidatesAsync(string data, string model, int seed = 1) =>
        CandidateTrainingRun.RunAsync(data, model, new SplitOptions(), new ExampleOptions(Seed: seed), CandidateShape, CandidateTraining(seed));

    /// <summary>Trains the ranking stage of <paramref name="model"/> on <paramref name="data"/>'s impressions.</summary>
    public static Task TrainRankerAsync(string data, string model, int seed = 1, double holdoutFraction = 0.1, bool sourceFeatures = true) =>
        RankingTrainingRun.RunAsync(data, model, Ranking(seed) with { HoldoutFraction = holdoutFraction, SourceFeatures = sourceFeatures });
}

using System.Diagnostics;
using System.Globalization;
using Funnel.Data.Model;
using Funnel.Data.Storage;

namespace Funnel.Data.Synthetic;

/// <summary>
/// Generates a synthetic world into a dataset folder, streaming users in blocks so memory is bounded
/// by the catalogue and one block of events, whatever the number of users.
/// </summary>
public static class WorldGenerator
{
    private const int BlockSize = 2_048;

    /// <summary>Generates the world; the same options give the same tables, whatever the core count.</summary>
    public static async Task<DatasetManifest> GenerateAsync(WorldOptions options, string output, bool overwrite = false, IProgress<WorldProgress>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var catalogue = WorldCatalogue.Create(options);
        var simulator = new UserSimulator(catalogue);
        await using var writer = DatasetWriter.Create(output, overwrite);
        await writer.WriteVideosAsync(Enumerable.Range(0, options.Videos).Select(catalogue.ToVideo).ToArray(), cancellation).ConfigureAwait(false);

        var users = new User[options.Users];
        var interests = new List<InterestRow>(options.Users * 3);
        long events = 0;
        var block = new SimulatedUser[BlockSize];
        for (var first = 0; first < options.Users; first += BlockSize)
        {
            var count = Math.Min(BlockSize, options.Users - first);
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellation }, i => block[i] = simulator.Simulate(first + i));
            var watches = new List<Watch>();
            var searches = new List<Search>();
            var impressions = new List<Impression>();
            for (var i = 0; i < count; i++)
            {
                var simulated = block[i];
                users[first + i] = simulated.User;
                for (var k = 0; k < simulated.InterestTopics.Length; k++)
                {
                    interests.Add(new InterestRow { User = first + i, Topic = simulated.InterestTopics[k], Weight = simulated.InterestWeights[k] });
                }
                watches.AddRange(simulated.Watches);
                searches.AddRange(simulated.Searches);
                impressions.AddRange(simulated.Impressions);
                block[i] = null!;
            }
            await writer.AppendWatchesAsync(watches.ToArray(), cancellation).ConfigureAwait(false);
            await writer.AppendSearchesAsync(searches.ToArray(), cancellation).ConfigureAwait(false);
            await writer.AppendImpressionsAsync(impressions.ToArray(), cancellation).ConfigureAwait(false);
            events += watches.Count + searches.Count + impressions.Count;
            progress?.Report(new WorldProgress(first + count, options.Users, events, clock.Elapsed));
        }

        await writer.WriteUsersAsync(users, cancellation).ConfigureAwait(false);
        await HiddenTruth.WriteAsync(writer.StagingDirectory, catalogue, interests, cancellation).ConfigureAwait(false);
        var properties = new Dictionary<string, string>
        {
            ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
            ["days"] = options.Days.ToString(CultureInfo.InvariantCulture),
            ["topics"] = catalogue.TopicCount.ToString(CultureInfo.InvariantCulture),
            ["windowStart"] = WorldOptions.Start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["windowEnd"] = (WorldOptions.Start.ToUnixTimeSeconds() + (options.Days * 86_400L)).ToString(CultureInfo.InvariantCulture),
        };
        return await writer.CommitAsync($"synth-u{options.Users}-v{options.Videos}-d{options.Days}-s{options.Seed}", $"synth:seed={options.Seed}", properties, cancellation).ConfigureAwait(false);
    }
}

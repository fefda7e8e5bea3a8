using System.Globalization;
using Funnel.Data.Storage;

namespace Funnel.Experiments.Simulation;

/// <summary>
/// Retrains an arm between simulated days, as a live system retrains on yesterday's logs: the logs
/// before the experiment plus everything the arm's own users did since (their slates' impressions,
/// watches, searches and organic watches), the arm's recipe, a new model folder, then a hot swap
/// through the arm's admin API. Videos uploaded during the experiment enter the models here, once
/// someone watched them.
/// </summary>
public static class ArmRetraining
{
    /// <summary>Retrains the arm of <paramref name="service"/> on data up to the end of <paramref name="day"/> (0-based) and swaps it into <paramref name="service"/>.</summary>
    public static async Task<string> RetrainAsync(ExperimentWorld world, ArmService service, IReadOnlyList<UserOutcome> armUsers, int day, string folder, int seed, Action<string>? log, CancellationToken cancellation)
    {
        var arm = service.Arm;
        var recipe = arm.Recipe ?? throw new ArgumentException($"arm {arm.Name} was not trained by the experiment, so it cannot be retrained: use the default arms or leave out --retrain-daily");
        var name = $"{arm.Name}-day{day + 1}";
        var data = Path.Combine(folder, "data", name);
        var model = Path.Combine(folder, "arms", name);
        var end = world.Start + ((day + 1) * 86_400L);
        await using (var writer = DatasetWriter.Create(data, overwrite: true))
        {
            await writer.WriteUsersAsync(world.Dataset.Users, cancellation).ConfigureAwait(false);
            await writer.WriteVideosAsync(world.Dataset.Videos, cancellation).ConfigureAwait(false);
            // Datasets hold events in (user, time) order; the stable sort keeps same-second events as they happened.
            await writer.AppendWatchesAsync(world.Watches.Concat(armUsers.SelectMany(u => u.LoggedWatches)).OrderBy(w => w.User).ThenBy(w => w.Time).ToArray(), cancellation).ConfigureAwait(false);
            await writer.AppendSearchesAsync(world.Searches.Concat(armUsers.SelectMany(u => u.LoggedSearches)).OrderBy(s => s.User).ThenBy(s => s.Time).ToArray(), cancellation).ConfigureAwait(false);
            await writer.AppendImpressionsAsync(world.Impressions.Concat(armUsers.SelectMany(u => u.LoggedImpressions)).OrderBy(m => m.User).ThenBy(m => m.Time).ToArray(), cancellation).ConfigureAwait(false);
            var properties = new Dictionary<string, string>(world.Dataset.Manifest.Properties) { ["windowEnd"] = end.ToString(CultureInfo.InvariantCulture) };
            await writer.CommitAsync($"{world.Dataset.Manifest.Name}-{name}", $"experiment:{arm.Name}", properties, cancellation).ConfigureAwait(false);
        }
        log?.Invoke($"experiment: retraining arm {arm.Name} on the logs and its users' first {day + 1} day(s)");
        // The newest day is what the retrain is for: the ranker holds out 0.5% of the time span, not 10%.
        var retrain = recipe with { Ranking = recipe.Ranking with { HoldoutFraction = 0.005 } };
        await retrain.TrainCandidatesAsync(data, model, seed, log, cancellation).ConfigureAwait(false);
        await retrain.TrainRankerAsync(data, model, seed, log, cancellation).ConfigureAwait(false);
        var version = await service.ReloadAsync(model, cancellation).ConfigureAwait(false);
        log?.Invoke($"experiment: arm {arm.Name} now serves {version}");
        return version;
    }
}

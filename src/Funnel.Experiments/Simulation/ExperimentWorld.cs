using System.Globalization;
using Funnel.Core;
using Funnel.Data.Model;
using Funnel.Data.Storage;
using Funnel.Data.Synthetic;
using Funnel.Serving.Contracts;

namespace Funnel.Experiments.Simulation;

/// <summary>
/// A synthetic world cut in two at <see cref="Start"/>: the logs before it are what the arms were
/// trained on and what the service is told of each user; the last <see cref="Days"/> days are
/// replaced by the experiment, in which the world's users (their hidden interests from the
/// world's truth) react to the slates they are served. Videos uploaded after the cut exist in the
/// catalogue but no model saw them watched.
/// </summary>
public sealed class ExperimentWorld
{
    private readonly ILookup<int, Watch> watchesByUser;
    private readonly ILookup<int, Search> searchesByUser;
    private readonly ILookup<int, Impression> impressionsByUser;

    private readonly ILookup<int, Watch> organicByUser;

    private ExperimentWorld(Dataset dataset, HiddenTruth truth, long start, int days, List<Watch> watches, List<Search> searches, List<Impression> impressions, List<Watch> organic)
    {
        organicByUser = organic.OrderBy(w => w.Time).ToLookup(w => w.User);
        Dataset = dataset;
        Truth = truth;
        Start = start;
        Days = days;
        Watches = watches;
        Searches = searches;
        Impressions = impressions;
        watchesByUser = watches.ToLookup(w => w.User);
        searchesByUser = searches.ToLookup(w => w.User);
        impressionsByUser = impressions.ToLookup(w => w.User);
        VideoIndex = dataset.Videos.Select((v, i) => (v.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var loggedWatches = new double[dataset.Users.Count];
        foreach (var watch in watches)
        {
            loggedWatches[watch.User]++;
        }
        var meanWatches = loggedWatches.Average();
        var sessionsPerDay = truth.World.Options.SessionsPerUserDay;
        // Heavy users stay heavy: each user's session rate follows their logged activity.
        SessionRate = [.. loggedWatches.Select(w => sessionsPerDay * (w + 1) / (meanWatches + 1))];
    }

    /// <summary>The world's dataset (all videos; events of every day).</summary>
    public Dataset Dataset { get; }

    /// <summary>What the logs do not show: interests, quality, clickbait.</summary>
    public HiddenTruth Truth { get; }

    /// <summary>The experiment's first second (Unix): the end of the logs the arms may learn from.</summary>
    public long Start { get; }

    /// <summary>Simulated days from <see cref="Start"/>.</summary>
    public int Days { get; }

    /// <summary>Watches before <see cref="Start"/>, in the dataset's order.</summary>
    public IReadOnlyList<Watch> Watches { get; }

    /// <summary>Searches before <see cref="Start"/>.</summary>
    public IReadOnlyList<Search> Searches { get; }

    /// <summary>Impressions before <see cref="Start"/>.</summary>
    public IReadOnlyList<Impression> Impressions { get; }

    /// <summary>Dense index of each video id.</summary>
    public IReadOnlyDictionary<string, int> VideoIndex { get; }

    /// <summary>Mean sessions per day of each user in the experiment.</summary>
    public IReadOnlyList<double> SessionRate { get; }

    /// <summary>
    /// Opens a synthetic world (one <c>funnel synth</c> wrote: it carries its hidden truth) and cuts
    /// it <paramref name="days"/> days before its end, leaving at least a week of logs before the cut.
    /// </summary>
    public static async Task<ExperimentWorld> OpenAsync(string dataPath, int days, CancellationToken cancellation = default)
    {
        var dataset = await Dataset.OpenAsync(dataPath, cancellation).ConfigureAwait(false);
        var truth = await HiddenTruth.ReadAsync(dataset, cancellation).ConfigureAwait(false);
        var manifestPath = Path.Combine(dataset.Directory, DatasetManifest.FileName);
        if (!dataset.Manifest.Properties.TryGetValue("windowEnd", out var endText) || !long.TryParse(endText, CultureInfo.InvariantCulture, out var end))
        {
            throw new DataFormatException(manifestPath, 0, "properties.windowEnd", "missing or not a number: only synthetic worlds (funnel synth) can host an experiment");
        }
        var worldDays = truth.World.Options.Days;
        if (days < 1 || worldDays - days < 7)
        {
            throw new ArgumentException($"--days {days}: the world has {worldDays} days and the experiment must leave at least 7 of them as logs to train on (days from 1 to {Math.Max(1, worldDays - 7)})");
        }
        var start = end - (days * 86_400L);
        var allWatches = await dataset.ReadWatchesAsync(cancellation).FlattenAsync().ConfigureAwait(false);
        var watches = allWatches.Where(w => w.Time < start).ToList();
        var searches = (await dataset.ReadSearchesAsync(cancellation).FlattenAsync().ConfigureAwait(false)).Where(s => s.Time < start).ToList();
        var allImpressions = await dataset.ReadImpressionsAsync(cancellation).FlattenAsync().ConfigureAwait(false);
        var impressions = allImpressions.Where(m => m.Time < start).ToList();
        // The world's own home slates are replaced by the arms'; what its users found elsewhere (browsing, search results) stays.
        var organic = OrganicWatches(
            allWatches.Where(w => w.Time >= start && w.Time < end),
            allImpressions.Where(m => m.Time >= start && m.Clicked));
        return new ExperimentWorld(dataset, truth, start, days, watches, searches, impressions, organic);
    }

    /// <summary>
    /// A user's watches during the experiment's days that did not come from a home slate (the
    /// world's browsing and search results), in time order: they go on as logged, whatever the arm.
    /// </summary>
    public IEnumerable<Watch> OrganicWatches(int user) => organicByUser[user];

    /// <summary>Watches not explained by a clicked home-slate impression of the same video shortly before.</summary>
    private static List<Watch> OrganicWatches(IEnumerable<Watch> watches, IEnumerable<Impression> clicks)
    {
        var clicked = clicks.ToLookup(m => (m.User, m.Video), m => m.Time);
        return [.. watches.Where(w => !clicked[(w.User, w.Video)].Any(t => t <= w.Time && w.Time - t < 7_200))];
    }

    /// <summary>
    /// Writes the logs before the cut as a dataset of their own (all users and videos, the truth
    /// copied), so arms trained on it never see the experiment's days.
    /// </summary>
    public async Task WriteLoggedAsync(string output, CancellationToken cancellation = default)
    {
        await using var writer = DatasetWriter.Create(output, overwrite: true);
        await writer.WriteUsersAsync(Dataset.Users, cancellation).ConfigureAwait(false);
        await writer.WriteVideosAsync(Dataset.Videos, cancellation).ConfigureAwait(false);
        await writer.AppendWatchesAsync(Watches.ToArray(), cancellation).ConfigureAwait(false);
        await writer.AppendSearchesAsync(Searches.ToArray(), cancellation).ConfigureAwait(false);
        await writer.AppendImpressionsAsync(Impressions.ToArray(), cancellation).ConfigureAwait(false);
        var truth = Directory.CreateDirectory(Path.Combine(writer.StagingDirectory, HiddenTruth.FolderName)).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(Dataset.Directory, HiddenTruth.FolderName)))
        {
            File.Copy(file, Path.Combine(truth, Path.GetFileName(file)));
        }
        var properties = new Dictionary<string, string>(Dataset.Manifest.Properties)
        {
            ["windowEnd"] = Start.ToString(CultureInfo.InvariantCulture),
            ["loggedFrom"] = Dataset.Manifest.Name,
        };
        await writer.CommitAsync($"{Dataset.Manifest.Name}-before-{Start}", $"logged:{Dataset.Manifest.Source}", properties, cancellation).ConfigureAwait(false);
    }

    /// <summary>Videos uploaded from <paramref name="time"/> (Unix seconds) to the world's end, oldest first: what a catalogue feed would post to the service as they appear.</summary>
    public IReadOnlyList<Video> UploadsSince(long time) => [.. Dataset.Videos.Where(v => v.UploadTime >= time).OrderBy(v => v.UploadTime)];

    /// <summary>The request context a user's client sends: their device, region and language.</summary>
    public RecommendationContext Context(int user)
    {
        var profile = Dataset.Users[user];
        return new RecommendationContext(profile.Device, profile.Region, profile.Language);
    }

    /// <summary>A user's logged events before the cut as the service's API takes them, oldest first.</summary>
    public IReadOnlyList<EventRequest> LoggedEvents(int user) =>
        Funnel.Serving.Store.LoggedEvents.Requests(Dataset.Videos, watchesByUser[user], searchesByUser[user], impressionsByUser[user], Start);
}

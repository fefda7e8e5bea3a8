using Funnel.Data.Model;
using Funnel.Data.Storage;
using Funnel.Ranking.Inference;
using Funnel.Serving;
using Funnel.Serving.Contracts;
using Funnel.Serving.Models;
using Funnel.Serving.Recommendations;
using Funnel.Serving.Store;

namespace Funnel.Runs.Recommendations;

/// <summary>One offline slate and what it was served from.</summary>
/// <param name="Response">The slate, exactly as <c>POST /v1/recommendations</c> returns it (with debug timings).</param>
/// <param name="Events">The user's logged events it was served over.</param>
/// <param name="Time">The Unix second it was served as of.</param>
/// <param name="KnownUser">Whether the dataset knows the user (otherwise they were served as new).</param>
/// <param name="RecentWatches">The user's last watches before <paramref name="Time"/>, latest first (at most <see cref="OfflineRecommendation.RecentShown"/>), for judging the slate.</param>
public sealed record OfflineSlate(RecommendationResponse Response, int Events, long Time, bool KnownUser, IReadOnlyList<Video> RecentWatches);

/// <summary>
/// <c>funnel recommend</c>: one user's slate without a server, through the service's own pipeline
/// (state, user vector, retrieval, ranking, top-up) over the user's logged events in a dataset.
/// </summary>
public static class OfflineRecommendation
{
    /// <summary>How many of the user's last watches an offline slate lists beside it.</summary>
    public const int RecentShown = 10;

    /// <summary>Serves <paramref name="userId"/> from <paramref name="modelFolder"/>.</summary>
    /// <param name="modelFolder">Model folder with candidates, index and ranker.</param>
    /// <param name="userId">The user; one the dataset does not know is served as new.</param>
    /// <param name="k">Slate length.</param>
    /// <param name="candidates">Candidates retrieved and ranked.</param>
    /// <param name="dataPath">Where the user's events come from; null: the dataset the ranker was trained on.</param>
    /// <param name="time">Serve as of this Unix second from events strictly before it; null: just after the user's last event.</param>
    /// <param name="cancellation">Stops the reads.</param>
    public static async Task<OfflineSlate> RunAsync(string modelFolder, string userId, int k, int candidates, string? dataPath = null, long? time = null, CancellationToken cancellation = default)
    {
        if (k is < 1 or > ServiceOptions.MaxK || candidates is < 1 or > ServiceOptions.MaxK)
        {
            throw new ArgumentException($"--k and --candidates: expected 1 to {ServiceOptions.MaxK}, got {k} and {candidates}");
        }
        dataPath ??= RankingModelFolder.ReadStage(modelFolder).Manifest.DatasetPath;
        var dataset = await Dataset.OpenAsync(dataPath, cancellation).ConfigureAwait(false);
        List<UserEvent> events = [];
        List<Video> recent = [];
        var context = new RecommendationContext();
        var user = dataset.UserIndex(userId);
        if (user is { } index)
        {
            var profile = dataset.Users[index];
            context = ProfileContext.Of(profile);
            var log = await dataset.ReadUserAsync(index, cancellation).ConfigureAwait(false);
            events = LoggedEvents.Before(dataset.Videos, log.Watches, log.Searches, log.Impressions, time ?? long.MaxValue);
            recent = [.. log.Watches.Where(w => w.Time < (time ?? long.MaxValue)).Reverse().Take(RecentShown).Select(w => dataset.Videos[w.Video])];
        }
        var now = time ?? (events.Count > 0 ? events[^1].Time + 1 : DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var recommender = new Recommender(candidates);
        using var served = await ServingModel.LoadAsync(modelFolder, recommender.Sources.ReadsTables, cancellation).ConfigureAwait(false);
        var response = recommender.Recommend(served, userId, k, context, [], events, now, debug: true, metadata: true);
        return new OfflineSlate(response, events.Count, now, user is not null, recent);
    }
}

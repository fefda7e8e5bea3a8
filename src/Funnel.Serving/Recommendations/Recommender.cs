using System.Diagnostics;
using Funnel.Candidates.Inference;
using Funnel.Core;
using Funnel.Data.Model;
using Funnel.Ranking.Features;
using Funnel.Ranking.Inference;
using Funnel.Retrieval.Filtering;
using Funnel.Serving.Contracts;
using Funnel.Serving.Models;
using Funnel.Serving.State;
using Funnel.Serving.Store;

namespace Funnel.Serving.Recommendations;

/// <summary>
/// One request through the funnel: the user's state from their stored events, the user vector,
/// retrieval of <c>candidateCount</c> candidates from the index (watched and
/// excluded videos filtered inside the search), the ranker's expected watch time for each, the top
/// k. When the model nominates fewer than k videos (k above the candidate count, or most of the
/// corpus excluded), the most popular videos not watched or excluded fill the rest of the slate
/// (source "popularity"); when it nominates none, the response says "fallback". With
/// <paramref name="uploads"/>, the fresh-uploads source (<see cref="FreshSource"/>) nominates videos
/// added since the model was trained beside the network's; the ranker scores both (an upload's id
/// has no embedding, its channel, topics, language, age and duration do), and up to
/// <paramref name="freshSlots"/> of the slate go to the best-ranked fresh videos.
/// </summary>
/// <param name="candidateCount">Candidates the network nominates through the index.</param>
/// <param name="uploads">Videos added at serving time, or null for no fresh source.</param>
/// <param name="freshSlots">Slate positions the fresh source may claim from the network's lowest-ranked items.</param>
public sealed class Recommender(int candidateCount, FreshUploads? uploads = null, int freshSlots = Recommender.DefaultFreshSlots)
{
    /// <summary>Slate positions kept for fresh uploads by default.</summary>
    public const int DefaultFreshSlots = 2;

    /// <summary>Fresh uploads nominated to the ranker per request.</summary>
    public const int FreshNominations = 20;

    /// <summary>Serves one validated request.</summary>
    public RecommendationResponse Recommend(ServingModel model, string userId, int k, RecommendationContext context, IReadOnlyCollection<string> exclude, IReadOnlyList<UserEvent> events, long now, bool debug)
    {
        var stages = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        var catalogue = model.Catalogue;
        var state = LiveState.Replay(events, catalogue);
        var watchedIds = events.Where(e => e.Kind == UserEventKind.Watch).Select(e => e.VideoId).ToHashSet(StringComparer.Ordinal);
        Lap(stages, "state", clock);

        var history = new UserHistory(
            [.. state.RecentWatches.Select(v => catalogue.Videos[v].Id)],
            [.. state.RecentSearches],
            context.Region ?? "",
            context.Device ?? "",
            context.Language ?? "",
            context.GenderCode,
            context.Age ?? 0);
        var user = model.Candidates.UserVectors([history]);
        Lap(stages, "user_vector", clock);

        var excludedRows = watchedIds.Concat(exclude).Select(model.CandidateRow).OfType<long>().ToList();
        var neighbours = model.Index.Search(user, candidateCount, new ExcludedKeys(excludedRows));
        Lap(stages, "retrieval", clock);

        var inputs = new List<RankingInput>(neighbours.Length);
        var ranks = new List<int>(neighbours.Length);
        var sources = new List<string>(neighbours.Length);
        for (var i = 0; i < neighbours.Length; i++)
        {
            var videoId = model.Candidates.VideoIds[(int)neighbours[i].Key];
            var index = catalogue.IndexOf(videoId);
            if (index < 0)
            {
                continue;
            }
            var video = catalogue.Videos[index];
            var facts = catalogue.Facts[index];
            inputs.Add(Input(video, context, history, state.CountersFor(index, facts.Channel, facts.Topics, now), new CandidateNomination(neighbours[i].Score, i + 1), now));
            ranks.Add(i + 1);
            sources.Add(NetworkSource);
        }
        if (uploads is not null)
        {
            var taken = new HashSet<string>(watchedIds, StringComparer.Ordinal);
            taken.UnionWith(exclude);
            var watchedVideos = state.RecentWatches.Select(v => catalogue.Videos[v]).ToList();
            // What the ranker learnt for a video the network did not nominate: below every retrieved score, past the last rank.
            var unnominated = new CandidateNomination(neighbours.Length > 0 ? neighbours.Min(n => n.Score) : 0f, model.Candidates.VideoIds.Count);
            var fresh = FreshSource.Nominate(uploads.Current, model, watchedVideos, taken, FreshNominations);
            for (var i = 0; i < fresh.Count; i++)
            {
                var facts = catalogue.FactsOf(fresh[i]);
                inputs.Add(Input(fresh[i], context, history, state.CountersFor(-1, facts.Channel, facts.Topics, now), unnominated, now));
                ranks.Add(i + 1);
                sources.Add(FreshSource.Name);
            }
        }
        Lap(stages, "sources", clock);
        var expected = model.Ranker.ExpectedWatchSeconds(inputs);
        var order = Enumerable.Range(0, inputs.Count)
            .OrderByDescending(i => expected[i])
            .ThenBy(i => ranks[i])
            .ToList();
        var items = Slate(order, sources, k)
            .Select(i => new RecommendedItem(inputs[i].VideoId, expected[i], sources[i], ranks[i]))
            .ToList();
        Lap(stages, "ranking", clock);

        var servedBy = items.Count > 0 ? "model" : "fallback";
        if (items.Count < k)
        {
            var taken = new HashSet<string>(exclude, StringComparer.Ordinal);
            taken.UnionWith(items.Select(i => i.VideoId));
            items.AddRange(Popular(catalogue, watchedIds, taken, k - items.Count));
        }
        var details = debug ? new RecommendationDebug(stages, events.Count, neighbours.Length, inputs.Count) : null;
        return new RecommendationResponse(items, servedBy, model.Version, details);
    }

    /// <summary>
    /// Serves a new user with <paramref name="model"/> before it takes traffic: weights that load but
    /// compute NaN or ±∞ (overwritten bytes a checksum did not cover, a broken export) are refused
    /// here, naming the stage, instead of failing every request or writing NaN into a response.
    /// </summary>
    public static void Canary(ServingModel model)
    {
        var vector = model.Candidates.UserVectors([new UserHistory([], [], "", "", "")]);
        if (!vector.All(float.IsFinite))
        {
            throw new DataFormatException(Path.Combine(model.Folder, CandidateModelFolder.Stage), "the candidate network computes a non-finite user vector for a new user: its weights are damaged");
        }
        var slate = new Recommender(CanaryCandidates).Recommend(model, "funnel-canary", CanaryCandidates, new RecommendationContext(), [], [], DateTimeOffset.UtcNow.ToUnixTimeSeconds(), debug: false);
        if (slate.Items.Any(item => !double.IsFinite(item.Score)))
        {
            throw new DataFormatException(Path.Combine(model.Folder, RankingModelFolder.Stage), "the ranker computes a non-finite expected watch time for a new user's candidates: its weights are damaged");
        }
    }

    private const int CanaryCandidates = 20;

    /// <summary>The source name of the network's nominations.</summary>
    public const string NetworkSource = "candidates";

    private static RankingInput Input(Video video, RecommendationContext context, UserHistory history, ImpressionCounters counters, CandidateNomination nomination, long now) => new(
        video.Id, video.Channel, video.Language, video.UploadTime, video.DurationSeconds,
        context.Language ?? "", context.Device ?? "", context.Region ?? "",
        history.WatchedVideoIds,
        counters,
        nomination,
        now);

    /// <summary>The top <paramref name="k"/> of the ranked order, with up to the fresh slots given to the best fresh videos left out of it (in place of the lowest others).</summary>
    private List<int> Slate(List<int> order, List<string> sources, int k)
    {
        var slate = order.Take(k).ToList();
        var waiting = order.Skip(k).Where(i => sources[i] == FreshSource.Name).ToList();
        var claim = Math.Min(waiting.Count, freshSlots - slate.Count(i => sources[i] == FreshSource.Name));
        for (var c = 0; c < claim; c++)
        {
            var last = slate.FindLastIndex(i => sources[i] != FreshSource.Name);
            if (last < 0)
            {
                break;
            }
            slate[last] = waiting[c];
        }
        // Back in ranked order: a claimed slot shows where the ranker put the fresh video relative to the rest.
        return [.. slate.OrderBy(order.IndexOf)];
    }

    /// <summary>The most popular videos neither watched nor excluded, scored by popularity share (1 for the first).</summary>
    public static List<RecommendedItem> Popular(ServingCatalogue catalogue, IReadOnlySet<string> watched, IReadOnlySet<string> excluded, int k)
    {
        var popular = catalogue.Popular;
        return [.. popular
            .Select((id, rank) => (id, rank))
            .Where(p => !watched.Contains(p.id) && !excluded.Contains(p.id))
            .Take(k)
            .Select(p => new RecommendedItem(p.id, 1.0 - ((double)p.rank / popular.Count), "popularity", p.rank + 1))];
    }

    private static void Lap(Dictionary<string, double> stages, string stage, Stopwatch clock)
    {
        stages[stage] = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
    }
}

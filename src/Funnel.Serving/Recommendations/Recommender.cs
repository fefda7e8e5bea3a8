using System.Diagnostics;
using Funnel.Candidates.Inference;
using Funnel.Core;
using Funnel.Data.Model;
using Funnel.Ranking.Features;
using Funnel.Ranking.Inference;
using Funnel.Ranking.Sources;
using Funnel.Retrieval.Filtering;
using Funnel.Serving.Contracts;
using Funnel.Serving.Models;
using Funnel.Serving.State;
using Funnel.Serving.Store;

namespace Funnel.Serving.Recommendations;

/// <summary>
/// One request through the funnel: the user's state from their stored events, the user vector,
/// then each candidate source of <paramref name="sources"/>: the network through the index
/// (watched and excluded videos filtered inside the search), co-visits of the last watches, the
/// region's most watched, and fresh uploads (<see cref="FreshSource"/>, with
/// <paramref name="uploads"/>: videos added since the model was trained). The nominations are
/// merged (a video nominated twice keeps its first source, in that order, and lists every source that
/// nominated it), the ranker's expected
/// watch time orders them, and the top k make the slate; up to the fresh slots go to the
/// best-ranked fresh videos. The ranker sees the network's score and rank of what the network
/// nominated; another source's video enters as the network left it (below every retrieved score,
/// past the last rank), with its own id, channel, topics, language, age and duration; so does an
/// upload the co-visits source nominates (co-visited since it was posted). Every
/// candidate carries the co-visits and regional sources' scores of it (<see cref="SourceSignals"/>),
/// which a ranker trained with them reads whichever source nominated it. When the
/// sources nominate fewer than k videos, the most popular videos not watched or excluded fill the
/// rest (source "popularity", scored by the ranker too and ordered by it after the nominated ones:
/// every score is in the ranker's one unit); the response says "model+popularity" then, and "fallback"
/// when the sources nominated none.
/// </summary>
/// <param name="sources">Which sources run and how many each nominates.</param>
/// <param name="uploads">Videos added at serving time, or null for no fresh source.</param>
public sealed class Recommender(CandidateSources sources, FreshUploads? uploads = null)
{
    /// <summary>A recommender with the default sources but <paramref name="candidateCount"/> network candidates.</summary>
    public Recommender(int candidateCount, FreshUploads? uploads = null)
        : this(new CandidateSources(Network: candidateCount), uploads)
    {
    }

    /// <summary>The sources it runs.</summary>
    public CandidateSources Sources => sources;

    /// <summary>
    /// Serves one validated request; <paramref name="live"/>: co-visits counted since the model's
    /// tables (<see cref="CoVisitStore"/>), or null for the tables alone; <paramref name="metadata"/>:
    /// add each item's catalogue entry.
    /// </summary>
    public RecommendationResponse Recommend(ServingModel model, string userId, int k, RecommendationContext context, IReadOnlyCollection<string> exclude, IReadOnlyList<UserEvent> events, long now, bool debug, CoVisitDeltas? live = null, bool metadata = false)
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
        var neighbours = model.Index.Search(user, sources.Network, new ExcludedKeys(excludedRows));
        Lap(stages, "retrieval", clock);

        var inputs = new List<RankingInput>(neighbours.Length);
        var ranks = new List<int>(neighbours.Length);
        var names = new List<string>(neighbours.Length);
        var nominatedBy = new List<List<string>>(neighbours.Length);
        var videos = new List<Video>(neighbours.Length);
        var positions = new Dictionary<string, int>(neighbours.Length, StringComparer.Ordinal);
        var taken = new HashSet<string>(watchedIds, StringComparer.Ordinal);
        taken.UnionWith(exclude);
        var unavailable = new HashSet<string>(taken, StringComparer.Ordinal);
        // Scored once: the ranker's co-visit signal and the co-visits source read the same scores.
        var coVisitScores = model.Sources.CoVisitScores(history.WatchedVideoIds, live);
        var signals = model.Sources.SignalsFor(coVisitScores, history.Region);
        void Add(Video video, VideoFacts facts, int catalogueIndex, CandidateNomination nomination, int rank, string source)
        {
            positions[video.Id] = inputs.Count;
            var rows = catalogueIndex >= 0 ? model.RankerRowsOf(catalogueIndex) : (VideoRows?)null;
            inputs.Add(Input(video, rows, context, history, state.CountersFor(catalogueIndex, facts.Channel, facts.Topics, now), nomination, signals(video.Id), now));
            ranks.Add(rank);
            names.Add(source);
            nominatedBy.Add([source]);
            videos.Add(video);
            taken.Add(video.Id);
        }
        // A source's own list, before another source took some of it: which videos it nominated too.
        void AlsoNominated(IEnumerable<LinkedVideo> own, string source)
        {
            foreach (var video in own)
            {
                if (positions.TryGetValue(video.VideoId, out var at) && !nominatedBy[at].Contains(source))
                {
                    nominatedBy[at].Add(source);
                }
            }
        }
        for (var i = 0; i < neighbours.Length; i++)
        {
            var index = model.CatalogueIndexOf(neighbours[i].Key);
            if (index >= 0)
            {
                Add(catalogue.Videos[index], catalogue.Facts[index], index, new CandidateNomination(neighbours[i].Score, i + 1), i + 1, CandidateSources.NetworkName);
            }
        }
        // What the ranker learnt for a video the network did not nominate: below every retrieved score, past the last rank.
        var unnominated = new CandidateNomination(neighbours.Length > 0 ? neighbours.Min(n => n.Score) : 0f, model.Candidates.VideoIds.Count);
        // Co-visits ordered once: their own top N (which says what they nominated too), and the top N of what no one took.
        var coVisited = sources.CoVisits > 0 ? TableSources.CoVisited(coVisitScores, unavailable, int.MaxValue) : [];
        AlsoNominated(coVisited.Take(sources.CoVisits), CandidateSources.CoVisitsName);
        AddKnown([.. coVisited.Where(v => !taken.Contains(v.VideoId)).Take(sources.CoVisits)], CandidateSources.CoVisitsName);
        AlsoNominated(TableSources.Regional(model.Sources, history.Region, unavailable, sources.Regional), CandidateSources.RegionalName);
        AddKnown(TableSources.Regional(model.Sources, history.Region, taken, sources.Regional), CandidateSources.RegionalName);
        // A video the network knows but did not retrieve gets the network's own score of it, ranked just past the retrieved list;
        // an upload co-visited since it was posted (live co-visits) enters as the fresh source's do.
        void AddKnown(IReadOnlyList<LinkedVideo> nominated, string source)
        {
            var open = nominated.Where(n => !taken.Contains(n.VideoId)).ToList();
            var rows = open.Select(n => catalogue.IndexOf(n.VideoId) >= 0 ? model.CandidateRow(n.VideoId) ?? 0 : 0).ToList();
            var scores = model.Candidates.Scores(user, rows, model.Index.Metric);
            var rank = 0;
            for (var i = 0; i < open.Count; i++)
            {
                var index = catalogue.IndexOf(open[i].VideoId);
                if (index >= 0)
                {
                    var nomination = rows[i] > 0 ? new CandidateNomination(scores[i], sources.Network + 1) : unnominated;
                    Add(catalogue.Videos[index], catalogue.Facts[index], index, nomination, ++rank, source);
                }
                else if (uploads?.Videos.GetValueOrDefault(open[i].VideoId) is { } upload && upload.UploadTime <= now)
                {
                    Add(upload, catalogue.FactsOf(upload), -1, unnominated, ++rank, source);
                }
            }
        }
        if (uploads is not null)
        {
            var watchedVideos = state.RecentWatches.Select(v => catalogue.Videos[v]).ToList();
            var fresh = FreshSource.Nominate(uploads.Current, model, watchedVideos, taken, sources.Fresh, now);
            for (var i = 0; i < fresh.Count; i++)
            {
                Add(fresh[i], catalogue.FactsOf(fresh[i]), -1, unnominated, i + 1, FreshSource.Name);
            }
        }
        Lap(stages, "sources", clock);
        var nominated = inputs.Count;
        // The top-up: the most popular videos nobody nominated, ranked like the rest so their scores are in the ranker's unit too.
        var popular = nominated >= k ? [] : catalogue.Popular
            .Select((id, rank) => (Id: id, Rank: rank + 1))
            .Where(p => !taken.Contains(p.Id))
            .Take(k - nominated)
            .Select(p => new LinkedVideo(p.Id, p.Rank))
            .ToList();
        AddKnown(popular, RecommendationResponse.PopularityName);
        var expected = model.Ranker.ExpectedWatchSeconds(inputs);
        var order = Enumerable.Range(0, nominated)
            .OrderByDescending(i => expected[i])
            .ThenBy(i => ranks[i])
            .ToList();
        var topUp = Enumerable.Range(nominated, inputs.Count - nominated)
            .OrderByDescending(i => expected[i])
            .ThenBy(i => ranks[i]);
        var items = Slate(order, names, k)
            .Concat(topUp)
            .Take(k)
            .Select(i => new RecommendedItem(inputs[i].VideoId, expected[i], names[i], ranks[i], nominatedBy[i], metadata ? Metadata(videos[i]) : null))
            .ToList();
        Lap(stages, "ranking", clock);

        var servedBy = nominated == 0 ? RecommendationResponse.ByFallback
            : items.Any(i => i.Source == RecommendationResponse.PopularityName) ? RecommendationResponse.ByModelAndPopularity
            : RecommendationResponse.ByModel;
        var details = debug ? new RecommendationDebug(stages, events.Count, neighbours.Length, inputs.Count) : null;
        return new RecommendationResponse(items, servedBy, model.Version, now, model.Ranker.Manifest.ScoreUnit, details);
    }

    private static VideoMetadata Metadata(Video video) => new(
        video.Title,
        video.Channel,
        video.Topics.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        video.DurationSeconds,
        video.UploadTime);

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

    private static RankingInput Input(Video video, VideoRows? rows, RecommendationContext context, UserHistory history, ImpressionCounters counters, CandidateNomination nomination, SourceSignals signals, long now) => new(
        video.Id, video.Channel, video.Language, video.UploadTime, video.DurationSeconds,
        context.Language ?? "", context.Device ?? "", context.Region ?? "",
        history.WatchedVideoIds,
        counters,
        nomination,
        now,
        signals)
    {
        Rows = rows,
    };

    /// <summary>The top <paramref name="k"/> of the ranked order, with up to the fresh slots given to the best fresh videos left out of it (in place of the lowest others).</summary>
    private List<int> Slate(List<int> order, List<string> names, int k)
    {
        var slate = order.Take(k).ToList();
        var waiting = order.Skip(k).Where(i => names[i] == FreshSource.Name).ToList();
        var claim = Math.Min(waiting.Count, sources.FreshSlots - slate.Count(i => names[i] == FreshSource.Name));
        for (var c = 0; c < claim; c++)
        {
            var last = slate.FindLastIndex(i => names[i] != FreshSource.Name);
            if (last < 0)
            {
                break;
            }
            slate[last] = waiting[c];
        }
        // Back in ranked order: a claimed slot shows where the ranker put the fresh video relative to the rest.
        return [.. slate.OrderBy(order.IndexOf)];
    }

    private static void Lap(Dictionary<string, double> stages, string stage, Stopwatch clock)
    {
        stages[stage] = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
    }
}

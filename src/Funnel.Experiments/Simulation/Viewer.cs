using Funnel.Data.Model;
using Funnel.Data.Synthetic;
using Funnel.Serving.Contracts;
using Funnel.Serving.Recommendations;

namespace Funnel.Experiments.Simulation;

/// <summary>What a viewer did with one slate: the events to post and when they finished.</summary>
/// <param name="Events">Impressions of every shown video, and a watch for each click, in time order.</param>
/// <param name="Clicks">Videos clicked.</param>
/// <param name="End">The viewer's clock after watching.</param>
public sealed record SlateReaction(IReadOnlyList<EventRequest> Events, int Clicks, long End);

/// <summary>
/// One of the world's users reacting to served slates as the world generated them: examines a
/// position with the world's position bias, clicks with the hidden affinity's click appeal
/// (clickbait appeals more), watches for as long as affinity, duration and clickbait give
/// (<see cref="AffinityModel"/>), and sometimes searches with words of an interest topic.
/// </summary>
public sealed class Viewer
{
    private const double SearchProbability = 0.25;
    private const double CompletedThreshold = 0.8;
    private const long FreshSeconds = 86_400;

    private readonly ExperimentWorld world;
    private readonly Random random;
    private readonly UserOutcome outcome;

    /// <summary>A viewer for a user, drawing from <paramref name="random"/> (the user's own stream).</summary>
    public Viewer(ExperimentWorld world, UserOutcome outcome, Random random)
    {
        this.world = world;
        this.outcome = outcome;
        this.random = random;
        Context = world.Context(outcome.User);
    }

    /// <summary>The request context the viewer's client sends.</summary>
    public RecommendationContext Context { get; }

    /// <summary>A search at <paramref name="clock"/>, or null when the viewer does not search this session.</summary>
    public EventRequest? MaybeSearch(long clock)
    {
        if (random.NextDouble() >= SearchProbability)
        {
            return null;
        }
        var (topics, weights) = world.Truth.Interests(outcome.User);
        var topicWords = world.Truth.World.TopicWords;
        var topic = random.NextDouble() < 0.9 ? topics[Sampling.Categorical(random, [.. weights])] : random.Next(topicWords.Length);
        var words = topicWords[topic];
        var first = random.Next(words.Length);
        var query = string.Join(' ', Enumerable.Range(0, 1 + random.Next(3)).Select(i => words[(first + (i * 7)) % words.Length]));
        outcome.LoggedSearches.Add(new Search(outcome.User, clock, query));
        return new EventRequest("search", Query: query, Time: clock);
    }

    /// <summary>Reacts to a slate shown at <paramref name="clock"/> and tallies it in the outcome of the given day.</summary>
    public SlateReaction React(IReadOnlyList<RecommendedItem> slate, long clock, int day)
    {
        var impressions = new List<EventRequest>(slate.Count);
        var watches = new List<EventRequest>();
        var shownAt = clock;
        var page = (outcome.User * 1_000_000L) + outcome.Slates;
        for (var position = 0; position < slate.Count; position++)
        {
            var id = slate[position].VideoId;
            if (!world.VideoIndex.TryGetValue(id, out var video))
            {
                throw new InvalidOperationException($"the service recommended video '{id}', which the world's catalogue does not hold: is the arm's model trained on this world?");
            }
            outcome.Shown.Add(id);
            var metadata = world.Dataset.Videos[video];
            var age = shownAt - metadata.UploadTime;
            outcome.ShownAgeDays += age / 86_400.0;
            outcome.ShownDurationSeconds += metadata.DurationSeconds;
            if (age < FreshSeconds)
            {
                outcome.FreshImpressions++;
            }
            if (slate[position].Source == FreshSource.Name)
            {
                outcome.FreshSourceImpressions++;
            }
            var truth = world.Truth.Video(video);
            var affinity = world.Truth.Affinity(outcome.User, video);
            var clicked = random.NextDouble() < AffinityModel.ClickProbability(affinity, truth.Clickbait, position);
            impressions.Add(new EventRequest("impression", id, Position: position, Clicked: clicked, Time: shownAt));
            if (!clicked)
            {
                outcome.LoggedImpressions.Add(new Impression(outcome.User, video, shownAt, page, position, false, 0));
                continue;
            }
            var seconds = AffinityModel.WatchSeconds(affinity, truth.Clickbait, metadata.DurationSeconds, random);
            outcome.LoggedImpressions.Add(new Impression(outcome.User, video, shownAt, page, position, true, seconds));
            outcome.LoggedWatches.Add(new Watch(outcome.User, video, clock + 1, seconds, metadata.DurationSeconds > 0 ? Math.Min(1f, seconds / metadata.DurationSeconds) : float.NaN));
            watches.Add(new EventRequest("watch", id, WatchSeconds: seconds, Time: clock + 1));
            outcome.Clicks++;
            outcome.Watched.Add(id);
            outcome.DailyWatchSeconds[day] += seconds;
            if (seconds >= CompletedThreshold * metadata.DurationSeconds)
            {
                outcome.Completed++;
            }
            if (clock + 1 - metadata.UploadTime < FreshSeconds)
            {
                outcome.FreshWatchSeconds += seconds;
            }
            clock += 1 + (long)seconds + 5 + random.Next(30);
        }
        outcome.Slates++;
        outcome.Impressions += slate.Count;
        return new SlateReaction([.. impressions, .. watches], watches.Count, clock);
    }
}

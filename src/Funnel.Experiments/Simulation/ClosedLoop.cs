using Funnel.Core;
using Funnel.Data.Model;
using Funnel.Data.Synthetic;
using Funnel.Serving.Contracts;

namespace Funnel.Experiments.Simulation;

/// <summary>One user's run through the experiment: what carries over from one simulated day to the next.</summary>
public sealed class UserRun
{
    private readonly Queue<Watch> organic;

    internal UserRun(ExperimentWorld world, UserOutcome outcome, Random random)
    {
        Outcome = outcome;
        Random = random;
        Viewer = new Viewer(world, outcome, random);
        Clock = world.Start;
        organic = new Queue<Watch>(world.OrganicWatches(outcome.User));
    }

    /// <summary>What the user did so far.</summary>
    public UserOutcome Outcome { get; }

    /// <summary>The user's own random stream.</summary>
    public Random Random { get; }

    /// <summary>How the user reacts to slates.</summary>
    public Viewer Viewer { get; }

    /// <summary>The user's simulated clock (Unix seconds).</summary>
    public long Clock { get; set; }

    /// <summary>The world's organic watches up to <paramref name="time"/> not yet told to the service, taken off the queue.</summary>
    internal List<Watch> OrganicUntil(long time)
    {
        var due = new List<Watch>();
        while (organic.Count > 0 && organic.Peek().Time <= time)
        {
            due.Add(organic.Dequeue());
        }
        return due;
    }
}

/// <summary>
/// The experiment's closed loop, a day at a time: each user opens sessions (their logged rate),
/// sometimes searches, asks their arm's service for a slate, reacts to it, and the impressions,
/// clicks and watches go back through POST /v1/events, so the next slate is served from a state
/// that already holds them. Another slate follows a click, up to a few per session. What the user
/// watched outside recommendations in the world's log of those days reaches the service too, when
/// the user's clock passes it.
/// </summary>
/// <param name="world">The world and its cut.</param>
/// <param name="seed">Seeds every user's behaviour.</param>
/// <param name="slateSize">Videos per slate asked for.</param>
/// <param name="maxSlatesPerSession">Slates a session may ask for: the next one only after a click.</param>
public sealed class ClosedLoop(ExperimentWorld world, int seed, int slateSize, int maxSlatesPerSession)
{
    private const int UserStream = 70;

    /// <summary>A user's run, seeded by the experiment's seed and the user alone.</summary>
    public UserRun Start(int user, int arm) =>
        new(world, new UserOutcome(user, world.Dataset.Users[user].Id, arm, world.Days), SeedMixer.Random(seed, UserStream, user));

    /// <summary>Runs all of a user's days against one service (no retraining in between).</summary>
    public async Task<UserOutcome> RunAsync(ArmService service, int user, int arm, CancellationToken cancellation)
    {
        var run = Start(user, arm);
        for (var day = 0; day < world.Days; day++)
        {
            await RunDayAsync(service, run, day, cancellation).ConfigureAwait(false);
        }
        return run.Outcome;
    }

    /// <summary>Runs one simulated day of a user; the same seed, user and models give the same outcome.</summary>
    public async Task RunDayAsync(ArmService service, UserRun run, int day, CancellationToken cancellation)
    {
        var outcome = run.Outcome;
        var random = run.Random;
        var id = outcome.UserId;
        var starts = Enumerable.Range(0, Sampling.Poisson(random, world.SessionRate[outcome.User]))
            .Select(_ => random.Next(86_400))
            .Order()
            .ToList();
        foreach (var start in starts)
        {
            run.Clock = Math.Max(run.Clock, world.Start + (day * 86_400L) + start);
            outcome.Sessions++;
            await TellOrganicAsync(service, run, run.Clock, cancellation).ConfigureAwait(false);
            if (run.Viewer.MaybeSearch(run.Clock) is { } search)
            {
                await service.PostEventsAsync(id, [search], cancellation).ConfigureAwait(false);
                run.Clock += 5 + random.Next(20);
            }
            for (var slate = 0; slate < maxSlatesPerSession; slate++)
            {
                var response = await service.RecommendAsync(id, slateSize, run.Viewer.Context, run.Clock, cancellation).ConfigureAwait(false);
                if (response.ServedBy == "fallback")
                {
                    outcome.FallbackSlates++;
                }
                var reaction = run.Viewer.React(response.Items, run.Clock, day);
                await service.PostEventsAsync(id, reaction.Events, cancellation).ConfigureAwait(false);
                run.Clock = reaction.End + 1;
                if (reaction.Clicks == 0)
                {
                    break;
                }
            }
        }
        await TellOrganicAsync(service, run, world.Start + ((day + 1) * 86_400L) - 1, cancellation).ConfigureAwait(false);
    }

    private async Task TellOrganicAsync(ArmService service, UserRun run, long until, CancellationToken cancellation)
    {
        var due = run.OrganicUntil(until);
        if (due.Count == 0)
        {
            return;
        }
        foreach (var watch in due)
        {
            run.Outcome.OrganicWatchSeconds += watch.WatchSeconds;
            run.Outcome.LoggedWatches.Add(watch);
        }
        await service.PostEventsAsync(
            run.Outcome.UserId,
            [.. due.Select(w => new EventRequest("watch", world.Dataset.Videos[w.Video].Id, WatchSeconds: w.WatchSeconds, Time: w.Time))],
            cancellation).ConfigureAwait(false);
    }
}

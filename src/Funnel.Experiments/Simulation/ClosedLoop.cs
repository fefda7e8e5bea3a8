using Funnel.Data;
using Funnel.Data.Synthetic;

namespace Funnel.Experiments.Simulation;

/// <summary>
/// One user's experiment, closed loop: on each simulated day the user opens sessions (their
/// logged rate), sometimes searches, asks their arm's service for a slate, reacts to it, and the
/// impressions, clicks and watches go back through POST /v1/events, so the next slate is served
/// from a state that already holds them. Another slate follows a click, up to a few per session.
/// </summary>
public sealed class ClosedLoop(ExperimentWorld world, ExperimentOptions options)
{
    private const int UserStream = 70;

    /// <summary>Runs the user's days against <paramref name="service"/>; the same seed, user and model give the same outcome.</summary>
    public async Task<UserOutcome> RunAsync(ArmService service, int user, int arm, CancellationToken cancellation)
    {
        var id = world.Dataset.Users[user].Id;
        var outcome = new UserOutcome(user, id, arm, world.Days);
        var random = SeedMixer.Random(options.Seed, UserStream, user);
        var viewer = new Viewer(world, outcome, random);
        var clock = world.Start;
        for (var day = 0; day < world.Days; day++)
        {
            var starts = Enumerable.Range(0, Sampling.Poisson(random, world.SessionRate[user]))
                .Select(_ => random.Next(86_400))
                .Order()
                .ToList();
            foreach (var start in starts)
            {
                clock = Math.Max(clock, world.Start + (day * 86_400L) + start);
                outcome.Sessions++;
                if (viewer.MaybeSearch(clock) is { } search)
                {
                    await service.PostEventsAsync(id, [search], cancellation).ConfigureAwait(false);
                    clock += 5 + random.Next(20);
                }
                for (var slate = 0; slate < options.MaxSlatesPerSession; slate++)
                {
                    var response = await service.RecommendAsync(id, options.SlateSize, viewer.Context, clock, cancellation).ConfigureAwait(false);
                    if (response.ServedBy == "fallback")
                    {
                        outcome.FallbackSlates++;
                    }
                    var reaction = viewer.React(response.Items, clock, day);
                    await service.PostEventsAsync(id, reaction.Events, cancellation).ConfigureAwait(false);
                    clock = reaction.End + 1;
                    if (reaction.Clicks == 0)
                    {
                        break;
                    }
                }
            }
        }
        return outcome;
    }
}

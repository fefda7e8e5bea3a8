using System.Diagnostics;
using System.Globalization;
using Funnel.Experiments.Arms;
using Funnel.Experiments.Reporting;
using Funnel.Experiments.Simulation;
using Funnel.Runs.Ranking;

namespace Funnel.Experiments;

/// <summary>What a simulation produced.</summary>
/// <param name="Outcomes">One per user, in user order.</param>
/// <param name="Anatomy">Each arm's candidates against its slates at the start.</param>
public sealed record SimulationResult(List<UserOutcome> Outcomes, List<SlateAnatomy> Anatomy);

/// <summary>
/// <c>funnel experiment</c>: cuts the world's last days off its logs, trains the default arms on
/// what is left (or takes the given ones), scores each arm offline on the logs, then lets the
/// world's users live those days again against the arms' services, and measures what they did.
/// </summary>
public static class ExperimentRun
{
    /// <summary>Runs the experiment and writes its report into <paramref name="folder"/>.</summary>
    public static async Task<ExperimentResult> RunAsync(
        string dataPath,
        string folder,
        IReadOnlyList<Arm>? arms,
        ExperimentOptions options,
        DefaultArmTraining? training = null,
        Action<string>? log = null,
        Action<ExperimentProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        options.Validate();
        var world = await ExperimentWorld.OpenAsync(dataPath, options.Days, cancellation).ConfigureAwait(false);
        Directory.CreateDirectory(folder);
        var logged = Path.Combine(folder, "logged");
        log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"experiment: {world.Dataset.Manifest.Name}, {options.Days} simulated days from {DateTimeOffset.FromUnixTimeSeconds(world.Start):u}; logs before then written to {logged} ({world.Watches.Count:N0} watches, {world.Impressions.Count:N0} impressions)"));
        await world.WriteLoggedAsync(logged, cancellation).ConfigureAwait(false);
        arms ??= await DefaultArms.TrainAsync(logged, Path.Combine(folder, "arms"), training ?? DefaultArmTraining.Small, options.Seed, log, cancellation).ConfigureAwait(false);

        var offline = new List<OfflineMetric>();
        foreach (var arm in arms)
        {
            log?.Invoke($"experiment: scoring arm {arm.Name} offline on the logs' holdout");
            var evaluation = await RankingEvaluationRun.RunAsync(logged, arm.ModelFolder, log, cancellation).ConfigureAwait(false);
            offline.AddRange(evaluation.Results.Where(r => r.Config != "candidate-score").Select(r => new OfflineMetric(arm.Name, r.Config, r.Metric, r.Value)));
        }

        var clock = Stopwatch.StartNew();
        var (outcomes, anatomy) = await SimulateAsync(world, arms, options, folder, progress, log, cancellation).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        var names = arms.Select(a => a.Name).ToList();
        var (online, comparisons) = OnlineMetrics.Compute(names, outcomes, options.Days, world.Dataset.Videos.Count, options.Resamples, options.Seed);
        var result = new ExperimentResult(
            world.Dataset.Manifest.Name,
            DateTimeOffset.FromUnixTimeSeconds(world.Start),
            options.Days,
            options.Seed,
            arms.ToDictionary(a => a.Name, a => Path.GetFullPath(a.ModelFolder)),
            online,
            comparisons,
            offline,
            OnlineMetrics.Daily(names, outcomes, options.Days, options.Resamples, options.Seed),
            names.Select((name, a) => (name, slates: outcomes.Where(o => o.Arm == a).Sum(o => o.Slates))).ToDictionary(p => p.name, p => p.slates),
            Math.Round(seconds, 1),
            anatomy);
        ExperimentReport.Write(folder, result);
        return result;
    }

    /// <summary>
    /// Starts one service per arm (fresh stores under <paramref name="folder"/>/state), assigns the
    /// users by stable hash, posts each user's logged events to their arm, then runs every user's
    /// closed loop a day at a time (retraining and swapping the arms' models between days when the
    /// options ask for it). Returns one outcome per user, in user order, and each arm's slate
    /// anatomy at the start.
    /// </summary>
    public static async Task<SimulationResult> SimulateAsync(ExperimentWorld world, IReadOnlyList<Arm> arms, ExperimentOptions options, string folder, Action<ExperimentProgress>? progress = null, Action<string>? log = null, CancellationToken cancellation = default)
    {
        if (options.RetrainDaily && arms.FirstOrDefault(a => a.Recipe is null) is { } given)
        {
            throw new ArgumentException($"--retrain-daily: arm {given.Name} was not trained by the experiment, so it cannot be retrained (use the default arms)");
        }
        var assignment = new ArmAssignment(ArmAssignment.ParseSplit(options.Split, arms.Count), $"funnel-experiment-{options.Seed}");
        var users = Math.Min(options.Users ?? world.Dataset.Users.Count, world.Dataset.Users.Count);
        var armOf = Enumerable.Range(0, users).Select(u => assignment.ArmOf(world.Dataset.Users[u].Id)).ToArray();
        var services = new List<ArmService>();
        try
        {
            foreach (var arm in arms)
            {
                services.Add(await ArmService.StartAsync(arm, Path.Combine(folder, "state", arm.Name), options.Candidates, cancellation).ConfigureAwait(false));
            }
            // Posted ahead with their own upload times: the fresh source nominates each only once the simulated clock has passed it.
            var uploads = world.UploadsSince(world.Start - FreshUploadDays * 86_400L);
            for (var a = 0; a < arms.Count; a++)
            {
                if (arms[a].FreshUploads)
                {
                    log?.Invoke($"experiment: posting {uploads.Count:N0} uploads of the last {FreshUploadDays} days before the cut and of the experiment's days to arm {arms[a].Name}");
                    await services[a].PostVideosAsync(uploads, cancellation).ConfigureAwait(false);
                }
            }
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellation };
            await ForEachUserAsync("history", users, parallel, progress, async (user, _) =>
                await services[armOf[user]].PostEventsAsync(world.Dataset.Users[user].Id, world.LoggedEvents(user), cancellation).ConfigureAwait(false)).ConfigureAwait(false);

            var anatomy = new List<SlateAnatomy>();
            for (var a = 0; a < arms.Count; a++)
            {
                anatomy.Add(await AnatomyAsync(world, services[a], [.. Enumerable.Range(0, users).Where(u => armOf[u] == a).Take(AnatomyUsers)], options, cancellation).ConfigureAwait(false));
            }

            var loop = new ClosedLoop(world, options.Seed, options.SlateSize, options.MaxSlatesPerSession);
            var runs = Enumerable.Range(0, users).Select(user => loop.Start(user, armOf[user])).ToArray();
            for (var day = 0; day < world.Days; day++)
            {
                var today = day;
                await ForEachUserAsync($"day {day + 1}/{world.Days}", users, parallel, progress, async (user, _) =>
                    await loop.RunDayAsync(services[armOf[user]], runs[user], today, cancellation).ConfigureAwait(false)).ConfigureAwait(false);
                if (options.RetrainDaily && day < world.Days - 1)
                {
                    for (var a = 0; a < arms.Count; a++)
                    {
                        var armUsers = runs.Where(r => r.Outcome.Arm == a).Select(r => r.Outcome).ToList();
                        await ArmRetraining.RetrainAsync(world, services[a], armUsers, day, Path.Combine(folder, "retrained"), options.Seed, log, cancellation).ConfigureAwait(false);
                    }
                }
            }
            return new SimulationResult([.. runs.Select(r => r.Outcome)], anatomy);
        }
        finally
        {
            foreach (var service in services)
            {
                await service.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Days of uploads before the cut that a fresh-uploads arm is told of (older ones the candidate model had time to learn).</summary>
    public const int FreshUploadDays = 7;

    /// <summary>Users per arm whose whole ranked candidate list is read at the start.</summary>
    public const int AnatomyUsers = 100;

    /// <summary>Each sampled user's full ranked candidate list at the experiment's start, read through the arm's API.</summary>
    private static async Task<SlateAnatomy> AnatomyAsync(ExperimentWorld world, ArmService service, IReadOnlyList<int> users, ExperimentOptions options, CancellationToken cancellation)
    {
        var lists = new List<IReadOnlyList<Funnel.Serving.Contracts.RecommendedItem>>();
        foreach (var user in users)
        {
            var response = await service.RecommendAsync(world.Dataset.Users[user].Id, options.Candidates, world.Context(user), world.Start, cancellation).ConfigureAwait(false);
            lists.Add([.. response.Items.Where(i => i.Source == "candidates")]);
        }
        return SlateAnatomy.Of(service.Arm.Name, lists, options.SlateSize, world.Start, id =>
        {
            var video = world.Dataset.Videos[world.VideoIndex[id]];
            return (video.UploadTime, video.DurationSeconds);
        });
    }

    private static async Task ForEachUserAsync(string phase, int users, ParallelOptions parallel, Action<ExperimentProgress>? progress, Func<int, CancellationToken, ValueTask> body)
    {
        var clock = Stopwatch.StartNew();
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, users), parallel, async (user, cancellation) =>
        {
            await body(user, cancellation).ConfigureAwait(false);
            var finished = Interlocked.Increment(ref done);
            progress?.Invoke(new ExperimentProgress(phase, finished, users, clock.Elapsed));
        }).ConfigureAwait(false);
    }
}

namespace Funnel.Experiments.Reporting;

/// <summary>One online metric of one arm with its 95% bootstrap interval (`funnel experiment --json` "arms" rows).</summary>
/// <param name="Name">The arm.</param>
/// <param name="Users">Users assigned to it.</param>
/// <param name="Metric">watch_seconds_per_user_day, clicks_per_user_day, ctr, completion_rate, coverage, fresh_impression_share, fresh_watch_share, mean_shown_age_days, mean_shown_duration_s.</param>
/// <param name="Mean">The estimate over the arm's users.</param>
/// <param name="CiLow">Lower 95% bound.</param>
/// <param name="CiHigh">Upper 95% bound.</param>
public sealed record ArmMetric(string Name, int Users, string Metric, double Mean, double CiLow, double CiHigh);

/// <summary>A treatment arm against the control (the first arm) on one metric.</summary>
/// <param name="Name">The treatment arm.</param>
/// <param name="Control">The control arm.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Difference">Treatment minus control.</param>
/// <param name="CiLow">Lower 95% bound of the difference.</param>
/// <param name="CiHigh">Upper 95% bound of the difference.</param>
/// <param name="Verdict">"higher", "lower" (the interval excludes zero) or "no significant difference".</param>
public sealed record ArmComparison(string Name, string Control, string Metric, double Difference, double CiLow, double CiHigh, string Verdict);

/// <summary>An arm's ranker on the logged data's holdout, before the experiment (`--json` "offline" rows).</summary>
/// <param name="Name">The arm.</param>
/// <param name="Config">The ranker's configuration name.</param>
/// <param name="Metric">weighted_per_user_loss, auc, watch_seconds_top1, …</param>
/// <param name="Value">The figure.</param>
public sealed record OfflineMetric(string Name, string Config, string Metric, double Value);

/// <summary>Mean watch seconds per user of an arm on one simulated day.</summary>
/// <param name="Name">The arm.</param>
/// <param name="Day">1-based day.</param>
/// <param name="WatchSecondsPerUser">Mean over the arm's users.</param>
/// <param name="Low">Lower end of its 95% bootstrap interval over the arm's users.</param>
/// <param name="High">Upper end.</param>
public sealed record DailyWatch(string Name, int Day, double WatchSecondsPerUser, double Low, double High);

/// <summary>Everything an experiment measured.</summary>
/// <param name="Dataset">The world.</param>
/// <param name="StartUtc">The experiment's first simulated moment (the logs end there).</param>
/// <param name="Days">Simulated days.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Models">Each arm's model folder.</param>
/// <param name="Arms">Online metrics per arm.</param>
/// <param name="Comparisons">Each treatment against the control.</param>
/// <param name="Offline">Offline metrics per arm.</param>
/// <param name="Daily">Daily watch time per arm.</param>
/// <param name="Slates">Slates served per arm.</param>
/// <param name="Seconds">Wall time of the simulation.</param>
/// <param name="Anatomy">Each arm's candidates against its slates at the start (age and length).</param>
public sealed record ExperimentResult(
    string Dataset,
    DateTimeOffset StartUtc,
    int Days,
    int Seed,
    IReadOnlyDictionary<string, string> Models,
    IReadOnlyList<ArmMetric> Arms,
    IReadOnlyList<ArmComparison> Comparisons,
    IReadOnlyList<OfflineMetric> Offline,
    IReadOnlyList<DailyWatch> Daily,
    IReadOnlyDictionary<string, int> Slates,
    double Seconds,
    IReadOnlyList<SlateAnatomy> Anatomy);

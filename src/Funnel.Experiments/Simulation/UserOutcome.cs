using Funnel.Data.Model;

namespace Funnel.Experiments.Simulation;

/// <summary>What one user did during the experiment: the units the bootstrap redraws.</summary>
public sealed class UserOutcome(int user, string userId, int arm, int days)
{
    /// <summary>Dense user index in the world.</summary>
    public int User { get; } = user;

    /// <summary>The user's id.</summary>
    public string UserId { get; } = userId;

    /// <summary>The arm (0-based) the user was assigned to.</summary>
    public int Arm { get; } = arm;

    /// <summary>Seconds watched from recommendations on each simulated day.</summary>
    public double[] DailyWatchSeconds { get; } = new double[days];

    /// <summary>Sessions the user opened.</summary>
    public int Sessions { get; set; }

    /// <summary>Slates served.</summary>
    public int Slates { get; set; }

    /// <summary>Slates the service marked "fallback" (the model nominated nothing).</summary>
    public int FallbackSlates { get; set; }

    /// <summary>Videos shown.</summary>
    public int Impressions { get; set; }

    /// <summary>Videos clicked (each click is a watch).</summary>
    public int Clicks { get; set; }

    /// <summary>Watches of at least 80% of the video (the training data's completion threshold).</summary>
    public int Completed { get; set; }

    /// <summary>Days since upload of every video shown, summed (with <see cref="Impressions"/>: the mean age of what was shown).</summary>
    public double ShownAgeDays { get; set; }

    /// <summary>Durations in seconds of every video shown, summed (with <see cref="Impressions"/>: the mean length of what was shown).</summary>
    public double ShownDurationSeconds { get; set; }

    /// <summary>Impressions of videos uploaded less than a day before they were shown.</summary>
    public int FreshImpressions { get; set; }

    /// <summary>Impressions of videos the fresh-uploads source nominated.</summary>
    public int FreshSourceImpressions { get; set; }

    /// <summary>Seconds watched of videos uploaded less than a day before the watch.</summary>
    public double FreshWatchSeconds { get; set; }

    /// <summary>Videos the user watched, in order.</summary>
    public List<string> Watched { get; } = [];

    /// <summary>Distinct videos shown to the user.</summary>
    public HashSet<string> Shown { get; } = new(StringComparer.Ordinal);

    /// <summary>Seconds watched outside recommendations (the world's own browsing and search results).</summary>
    public double OrganicWatchSeconds { get; set; }

    /// <summary>The user's watches during the experiment (from slates and organic), as dataset rows for retraining.</summary>
    public List<Watch> LoggedWatches { get; } = [];

    /// <summary>The impressions the arm served the user, as dataset rows.</summary>
    public List<Impression> LoggedImpressions { get; } = [];

    /// <summary>The user's searches during the experiment, as dataset rows.</summary>
    public List<Search> LoggedSearches { get; } = [];

    /// <summary>Seconds watched over the whole experiment.</summary>
    public double WatchSeconds => DailyWatchSeconds.Sum();
}

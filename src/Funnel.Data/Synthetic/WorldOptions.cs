namespace Funnel.Data.Synthetic;

/// <summary>The size and seed of a synthetic world; everything else follows from them deterministically.</summary>
/// <param name="Users">Number of users.</param>
/// <param name="Videos">Number of videos (a back catalogue plus uploads during the simulated days).</param>
/// <param name="Days">Simulated days of activity.</param>
/// <param name="Seed">The seed: the same options always give the same world, byte for byte.</param>
/// <param name="Topics">Number of topics; 0 picks one from the corpus size.</param>
/// <param name="SessionsPerUserDay">Mean sessions per user per day (users vary log-normally around it).</param>
public sealed record WorldOptions(int Users, int Videos, int Days, int Seed, int Topics = 0, double SessionsPerUserDay = WorldOptions.DefaultSessionsPerUserDay)
{
    /// <summary>Default mean sessions per user per day.</summary>
    public const double DefaultSessionsPerUserDay = 0.6;

    /// <summary>The first simulated day, 2026-01-01 UTC: fixed so the same seed gives the same timestamps.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Days of back catalogue uploaded before <see cref="Start"/>.</summary>
    public const int BackCatalogueDays = 180;

    /// <summary>The topic count actually used.</summary>
    public int EffectiveTopics => Topics > 0 ? Topics : Math.Clamp(Videos / 250, 8, 64);

    /// <summary>Fails with the offending values when the options cannot make a world.</summary>
    public WorldOptions Validate()
    {
        if (Users < 1 || Videos < 10 || Days < 1)
        {
            throw new ArgumentException($"a world needs users ≥ 1, videos ≥ 10 and days ≥ 1; got users {Users}, videos {Videos}, days {Days}");
        }
        if (Topics < 0 || Topics > 4096)
        {
            throw new ArgumentException($"topics must be 0 (automatic) or 1 to 4096; got {Topics}");
        }
        if (!(SessionsPerUserDay > 0 && SessionsPerUserDay <= 50))
        {
            throw new ArgumentException($"sessions per user per day must be in (0, 50]; got {SessionsPerUserDay}");
        }
        return this;
    }
}

namespace Funnel.Experiments;

/// <summary>How an experiment runs.</summary>
/// <param name="Days">Simulated days, cut from the end of the world (its last days' logs are replaced).</param>
/// <param name="Seed">Seeds the users' behaviour, the arm assignment's salt and the bootstrap.</param>
/// <param name="Split">Relative arm sizes, e.g. "50,50"; null splits evenly.</param>
/// <param name="SlateSize">Videos per served slate (the world's own home slates show 6).</param>
/// <param name="MaxSlatesPerSession">Slates a session may ask for: the next one only after a click.</param>
/// <param name="Candidates">Candidates each arm's service retrieves and ranks per request.</param>
/// <param name="Users">Simulate only the first N users of the world (null: all).</param>
/// <param name="Concurrency">Users simulated at once (each user's own sessions stay sequential).</param>
/// <param name="Resamples">Bootstrap replicates per interval.</param>
/// <param name="RetrainDaily">Retrain every arm after each simulated day on the logs and its users' events so far, and hot-swap it in.</param>
public sealed record ExperimentOptions(
    int Days = 3,
    int Seed = 1,
    string? Split = null,
    int SlateSize = 6,
    int MaxSlatesPerSession = 3,
    int Candidates = 300,
    int? Users = null,
    int Concurrency = 4,
    int Resamples = 1_000,
    bool RetrainDaily = false)
{
    /// <summary>Fails with the offending value when the experiment cannot run.</summary>
    public ExperimentOptions Validate()
    {
        if (Days < 1 || SlateSize < 1 || MaxSlatesPerSession < 1 || Candidates < 1 || Users is < 1 || Concurrency < 1 || Resamples < 10)
        {
            throw new ArgumentException($"experiment options out of range: days {Days} (≥ 1), slate size {SlateSize} (≥ 1), slates per session {MaxSlatesPerSession} (≥ 1), candidates {Candidates} (≥ 1), users {Users} (≥ 1), concurrency {Concurrency} (≥ 1), resamples {Resamples} (≥ 10)");
        }
        return this;
    }
}

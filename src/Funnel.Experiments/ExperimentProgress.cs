namespace Funnel.Experiments;

/// <summary>How far a phase of an experiment is.</summary>
/// <param name="Phase">"history" (logged events posted to the arms' services) or "simulation".</param>
/// <param name="Done">Users finished.</param>
/// <param name="Total">Users in the experiment.</param>
/// <param name="Elapsed">Time in the phase.</param>
public sealed record ExperimentProgress(string Phase, int Done, int Total, TimeSpan Elapsed);

namespace Funnel.Benchmarks.Cluster;

/// <summary>One fault of the chaos run, or the whole run (`funnel bench cluster --json` rows).</summary>
/// <param name="Phase">The fault as the script named it (e.g. "store-primary-killed", "replica-killed", "rollout"), or "whole run" (and its requests of one endpoint, "whole run: events").</param>
/// <param name="Requests">Requests sent from the fault until the next one (whole run: all).</param>
/// <param name="Failed">Of them, those that failed (non-200, no answer, timeout).</param>
/// <param name="P50BeforeMs">Median latency in the 10 s before the fault (whole run: of all of it).</param>
/// <param name="P99BeforeMs">99th percentile in the 10 s before.</param>
/// <param name="P50DuringMs">Median latency in the 15 s from the fault.</param>
/// <param name="P99DuringMs">99th percentile in the 15 s from the fault.</param>
/// <param name="MaxDuringMs">The slowest answered request in the 15 s from the fault (a stall the percentiles hide).</param>
/// <param name="P50AfterMs">Median latency in the 10 s after those 15 s.</param>
/// <param name="P99AfterMs">99th percentile in the 10 s after.</param>
/// <param name="RecoverySeconds">From the fault to the end of the last request that failed before the next fault (0: none failed).</param>
/// <param name="EventsAcknowledged">Event batches acknowledged in the window (whole run: all).</param>
/// <param name="EventsLost">Acknowledged events missing from the store at the end (whole run only).</param>
/// <param name="ErrorKinds">The failed requests by kind and endpoint.</param>
public sealed record ChaosRow(
    string Phase,
    int Requests,
    int Failed,
    double P50BeforeMs,
    double P99BeforeMs,
    double P50DuringMs,
    double P99DuringMs,
    double MaxDuringMs,
    double P50AfterMs,
    double P99AfterMs,
    double RecoverySeconds,
    int EventsAcknowledged,
    int EventsLost,
    IReadOnlyDictionary<string, int> ErrorKinds);

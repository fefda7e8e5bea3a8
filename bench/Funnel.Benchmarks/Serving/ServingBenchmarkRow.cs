namespace Funnel.Benchmarks.Serving;

/// <summary>One load level of the service (`funnel bench serving --json` rows).</summary>
/// <param name="Phase">"load", "hot-swap" (reloads during the load) or "kill-9" (acknowledged events checked after a crash).</param>
/// <param name="Connections">Concurrent connections, each sending its next request when the last one answered.</param>
/// <param name="Rps">Answered requests per second.</param>
/// <param name="P50Ms">Median latency.</param>
/// <param name="P99Ms">99th percentile latency.</param>
/// <param name="Errors">Requests that failed (non-200 or no answer); for kill-9, acknowledged events missing after the restart.</param>
/// <param name="Requests">Requests sent (kill-9: events acknowledged).</param>
/// <param name="Reloads">Model reloads done during the phase.</param>
/// <param name="ErrorKinds">The failed requests by kind (HTTP status, connection error, timeout).</param>
/// <param name="CpuMsPerSlate">The server process's CPU milliseconds (user + system) per answered request, when it runs in a process of its own (else null: the benchmark's own process also runs the load).</param>
/// <param name="AllocatedKbPerSlate">Managed kilobytes the server allocated per answered request, under the same condition.</param>
public sealed record ServingBenchmarkRow(string Phase, int Connections, double Rps, double P50Ms, double P99Ms, int Errors, int Requests, int Reloads, IReadOnlyDictionary<string, int>? ErrorKinds = null, double? CpuMsPerSlate = null, double? AllocatedKbPerSlate = null);

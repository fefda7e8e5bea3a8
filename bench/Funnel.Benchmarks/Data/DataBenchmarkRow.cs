namespace Funnel.Benchmarks.Data;

/// <summary>One phase of the data benchmark.</summary>
/// <param name="Phase">synthesise, import-csv or examples.</param>
/// <param name="Events">Events the phase processed (watches, plus searches and impressions where it handles them).</param>
/// <param name="Seconds">Wall-clock seconds.</param>
/// <param name="EventsPerS">Events per second.</param>
/// <param name="PeakMb">Peak resident memory during the phase, MB.</param>
/// <param name="Detail">What exactly was measured.</param>
public sealed record DataBenchmarkRow(string Phase, long Events, double Seconds, double EventsPerS, double PeakMb, string Detail);

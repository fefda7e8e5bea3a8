namespace Funnel.Benchmarks.Serving;

/// <summary>The service under a flood of new users at one moment (`funnel bench serving --json` flood rows).</summary>
/// <param name="Phase">"start" on an empty store, "flood" while it lasts, "restart" after a kill -9 at its end and a restart on the same store.</param>
/// <param name="Seconds">Seconds since the flood began (for "start" and "restart": seconds from launch to ready).</param>
/// <param name="Events">Events acknowledged so far.</param>
/// <param name="Errors">Batches refused or failed so far.</param>
/// <param name="Users">Users the store holds (its funnel_store_users gauge).</param>
/// <param name="RssMb">Resident memory of the service process.</param>
/// <param name="HeapMb">Of which the managed heap (live and not yet collected).</param>
/// <param name="StoreMb">Bytes of the store folder (append-only file and checkpoints).</param>
public sealed record FloodSample(string Phase, double Seconds, long Events, int Errors, long Users, double RssMb, double HeapMb, double StoreMb);

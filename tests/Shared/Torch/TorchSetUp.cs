using System.Runtime.CompilerServices;
using Funnel.Torch;

// libtorch's random generator is process-wide (manual_seed): test classes that seed and build
// networks must not interleave, or a seeded run stops being reproducible.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Funnel.Tests.Shared;

/// <summary>
/// Sets libtorch up once per test assembly before any test touches it, as the CLI does once per
/// process: OpenMP reads its environment when libtorch loads, so this must come first.
/// </summary>
internal static class TorchSetUp
{
    [ModuleInitializer]
    internal static void Initialize() => TorchRuntime.Initialize();
}

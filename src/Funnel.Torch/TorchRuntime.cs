using TorchSharp;

namespace Funnel.Torch;

/// <summary>
/// Configures libtorch once per process. Call <see cref="Initialize"/> before any other TorchSharp
/// call: OpenMP reads its environment when libtorch loads, and later changes are ignored.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static TorchRuntimeOptions? current;

    /// <summary>The options in force, or null before <see cref="Initialize"/>.</summary>
    public static TorchRuntimeOptions? Current => current;

    /// <summary>Whether glibc keeps freed tensor memory for reuse (see <see cref="TorchRuntimeOptions.RetainFreedMemory"/>).</summary>
    public static bool RetainsFreedMemory { get; private set; }

    /// <summary>Sets the native OpenMP environment and allocator, loads libtorch and sets its thread count.</summary>
    /// <returns>The options in force (the first caller's, if called again with different ones).</returns>
    public static TorchRuntimeOptions Initialize(TorchRuntimeOptions? options = null)
    {
        lock (Gate)
        {
            if (current is not null)
            {
                return current;
            }
            options ??= TorchRuntimeOptions.FromEnvironment();
            NativeEnvironment.Set("OMP_WAIT_POLICY", options.OpenMpWaitPolicy);
            NativeEnvironment.Set("OMP_NUM_THREADS", options.EffectiveThreads.ToString(System.Globalization.CultureInfo.InvariantCulture));
            RetainsFreedMemory = options.RetainFreedMemory && NativeAllocator.RetainFreedMemory();
            torch.set_num_threads(options.EffectiveThreads);
            current = options;
            return options;
        }
    }

    /// <summary>The native value of an environment variable, as libtorch sees it.</summary>
    public static string? NativeVariable(string name) => NativeEnvironment.Get(name);
}

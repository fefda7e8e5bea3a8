namespace Funnel.Torch;

/// <summary>How libtorch's CPU threads behave in this process.</summary>
/// <param name="Threads">Intra-op threads; 0 means one per core.</param>
/// <param name="OpenMpWaitPolicy">
/// OMP_WAIT_POLICY for libtorch's OpenMP pool. PASSIVE by default: with ACTIVE (spin-waiting) and
/// another process busy on one of two cores, training was measured 12× slower here.
/// </param>
/// <param name="RetainFreedMemory">
/// Keep freed tensor memory in the process rather than unmapping it (glibc mallopt): avoids
/// page-faulting every step's temporaries again, at the cost of resident memory staying at its
/// high-water mark. On by default; FUNNEL_RETAIN_FREED_MEMORY=0 turns it off.
/// </param>
public sealed record TorchRuntimeOptions(int Threads = 0, string OpenMpWaitPolicy = TorchRuntimeOptions.DefaultWaitPolicy, bool RetainFreedMemory = true)
{
    /// <summary>The default OpenMP wait policy.</summary>
    public const string DefaultWaitPolicy = "PASSIVE";

    /// <summary>Environment variable that overrides <see cref="Threads"/>.</summary>
    public const string ThreadsVariable = "FUNNEL_TORCH_THREADS";

    /// <summary>Environment variable that turns <see cref="RetainFreedMemory"/> off when "0".</summary>
    public const string RetainFreedMemoryVariable = "FUNNEL_RETAIN_FREED_MEMORY";

    /// <summary>Reads overrides from the environment: FUNNEL_TORCH_THREADS, OMP_WAIT_POLICY and FUNNEL_RETAIN_FREED_MEMORY.</summary>
    public static TorchRuntimeOptions FromEnvironment()
    {
        var threadsText = Environment.GetEnvironmentVariable(ThreadsVariable);
        var threads = 0;
        if (!string.IsNullOrEmpty(threadsText) && (!int.TryParse(threadsText, out threads) || threads < 0))
        {
            throw new ArgumentException($"{ThreadsVariable} must be a non-negative integer, got '{threadsText}'");
        }
        var policy = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        var retain = Environment.GetEnvironmentVariable(RetainFreedMemoryVariable);
        if (!string.IsNullOrEmpty(retain) && retain is not ("0" or "1"))
        {
            throw new ArgumentException($"{RetainFreedMemoryVariable} must be 0 or 1, got '{retain}'");
        }
        return new TorchRuntimeOptions(threads, string.IsNullOrEmpty(policy) ? DefaultWaitPolicy : policy, retain != "0");
    }

    /// <summary>The thread count actually used.</summary>
    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;
}

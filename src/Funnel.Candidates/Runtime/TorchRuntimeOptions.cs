namespace Funnel.Candidates.Runtime;

/// <summary>How libtorch's CPU threads behave in this process.</summary>
/// <param name="Threads">Intra-op threads; 0 means one per core.</param>
/// <param name="OpenMpWaitPolicy">
/// OMP_WAIT_POLICY for libtorch's OpenMP pool. PASSIVE by default: with ACTIVE (spin-waiting) and
/// another process busy on one of two cores, training was measured 12× slower here.
/// </param>
public sealed record TorchRuntimeOptions(int Threads = 0, string OpenMpWaitPolicy = TorchRuntimeOptions.DefaultWaitPolicy)
{
    /// <summary>The default OpenMP wait policy.</summary>
    public const string DefaultWaitPolicy = "PASSIVE";

    /// <summary>Environment variable that overrides <see cref="Threads"/>.</summary>
    public const string ThreadsVariable = "FUNNEL_TORCH_THREADS";

    /// <summary>Reads overrides from the environment: FUNNEL_TORCH_THREADS and OMP_WAIT_POLICY.</summary>
    public static TorchRuntimeOptions FromEnvironment()
    {
        var threadsText = Environment.GetEnvironmentVariable(ThreadsVariable);
        var threads = 0;
        if (!string.IsNullOrEmpty(threadsText) && (!int.TryParse(threadsText, out threads) || threads < 0))
        {
            throw new ArgumentException($"{ThreadsVariable} must be a non-negative integer, got '{threadsText}'");
        }
        var policy = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        return new TorchRuntimeOptions(threads, string.IsNullOrEmpty(policy) ? DefaultWaitPolicy : policy);
    }

    /// <summary>The thread count actually used.</summary>
    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;
}

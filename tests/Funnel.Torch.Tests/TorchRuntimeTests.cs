using TorchSharp;
using static TorchSharp.torch;

namespace Funnel.Torch.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Libtorch_loads_and_runs_a_backward_pass()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        // y = sum(w * x) with x = [1, 2, 3]: dy/dw = x.
        var weights = tensor(new float[] { 0.5f, -1f, 2f }, requires_grad: true);
        var inputs = tensor(new float[] { 1f, 2f, 3f });
        var output = (weights * inputs).sum();
        output.backward();

        Assert.Equal(4.5f, output.item<float>(), 5);
        Assert.Equal(new float[] { 1f, 2f, 3f }, weights.grad!.data<float>().ToArray());
    }

    [Fact]
    public void OpenMp_settings_reach_the_native_environment()
    {
        var options = TorchRuntime.Initialize();

        Assert.Equal(options.OpenMpWaitPolicy, TorchRuntime.NativeVariable("OMP_WAIT_POLICY"));
        Assert.Equal(options.EffectiveThreads, torch.get_num_threads());
    }

    [Fact]
    public void Freed_tensor_memory_is_kept_by_glibc_on_linux()
    {
        var options = TorchRuntime.Initialize();

        // mallopt accepted every setting (it returns 0 for a value out of glibc's range).
        Assert.Equal(options.RetainFreedMemory && OperatingSystem.IsLinux(), TorchRuntime.RetainsFreedMemory);
    }

    [Fact]
    public void Retaining_freed_memory_can_be_turned_off_and_rejects_other_values()
    {
        var previous = Environment.GetEnvironmentVariable(TorchRuntimeOptions.RetainFreedMemoryVariable);
        try
        {
            Environment.SetEnvironmentVariable(TorchRuntimeOptions.RetainFreedMemoryVariable, "0");
            Assert.False(TorchRuntimeOptions.FromEnvironment().RetainFreedMemory);
            Environment.SetEnvironmentVariable(TorchRuntimeOptions.RetainFreedMemoryVariable, "yes");
            var error = Assert.Throws<ArgumentException>(TorchRuntimeOptions.FromEnvironment);
            Assert.Contains(TorchRuntimeOptions.RetainFreedMemoryVariable, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(TorchRuntimeOptions.RetainFreedMemoryVariable, previous);
        }
    }
}

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Funnel.Torch;

/// <summary>
/// The paper's tower, shared by the candidate and the ranking network: every layer Linear + ReLU,
/// [batch, inputWidth] → [batch, widths[^1]]. Its sub-modules are named hidden{i} and relu{i}, the
/// checkpoint keys both networks' saved files hold.
/// </summary>
public static class ReluTower
{
    /// <summary>Builds the layers (initialised from the caller's torch.manual_seed); no layers is the identity.</summary>
    public static Sequential Build(int inputWidth, IReadOnlyList<int> widths)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputWidth, 1);
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        var width = inputWidth;
        for (var i = 0; i < widths.Count; i++)
        {
            layers.Add(($"hidden{i}", Linear(width, widths[i])));
            layers.Add(($"relu{i}", ReLU()));
            width = widths[i];
        }
        return Sequential(layers);
    }
}

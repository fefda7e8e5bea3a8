using System.Text.Json;
using Funnel.Candidates.Optimizers;
using Funnel.Core;
using Funnel.Torch;
using static TorchSharp.torch;

namespace Funnel.Candidates.Training;

/// <summary>Checkpoints: everything a resumed run needs to continue exactly as an uninterrupted one.</summary>
public sealed partial class CandidateTrainer
{
    /// <summary>The best epoch's network weights, inside the checkpoint folder.</summary>
    public const string BestNetworkFile = "best-network.bin";

    // Named for its format: a checkpoint of TorchSharp's optimiser state (an earlier version) is not resumed.
    private const string DenseOptimizerFile = "dense-adam.bin";

    private Dictionary<string, Tensor>? bestWeights;

    private sealed record TrainerState(string Fingerprint, int CompletedEpochs, List<EpochRecord> History, double BestRecall, int BestEpoch, long[] LazyAdamSteps);

    /// <summary>What must match for a checkpoint to be resumed: every option except the epoch limit.</summary>
    private string Fingerprint() => JsonSerializer.Serialize(new { network = Network.Options, training = Options with { Epochs = 0 }, optimizer = DenseOptimizerFile }, FunnelJson.Files);

    private void SaveCheckpoint(string folder)
    {
        var state = new TrainerState(Fingerprint(), completedEpochs, history, bestValidation, bestEpoch, [.. step.SparseOptimizers.Select(o => o is LazyAdam adam ? adam.Steps : 0)]);
        TrainingCheckpoint.Save(folder, state, staging =>
        {
            Network.save(Path.Combine(staging, "network.bin"));
            step.DenseOptimizer.Save(Path.Combine(staging, DenseOptimizerFile));
            for (var i = 0; i < step.SparseOptimizers.Count; i++)
            {
                foreach (var (name, tensor) in step.SparseOptimizers[i].State)
                {
                    tensor.save(Path.Combine(staging, $"sparse-{i}-{name}.bin"));
                }
            }
        });
    }

    private void TryResume(string folder)
    {
        if (TrainingCheckpoint.TryRead<TrainerState>(folder, s => s.Fingerprint, Fingerprint()) is not { } found)
        {
            return;
        }
        var (state, checkpoint) = found;
        Network.load(Path.Combine(checkpoint, "network.bin"));
        step.DenseOptimizer.Load(Path.Combine(checkpoint, DenseOptimizerFile));
        using (no_grad())
        {
            for (var i = 0; i < step.SparseOptimizers.Count; i++)
            {
                foreach (var (name, tensor) in step.SparseOptimizers[i].State)
                {
                    using var saved = Tensor.load(Path.Combine(checkpoint, $"sparse-{i}-{name}.bin"));
                    tensor.copy_(saved);
                }
                if (step.SparseOptimizers[i] is LazyAdam adam)
                {
                    adam.Steps = state.LazyAdamSteps[i];
                }
            }
        }
        completedEpochs = state.CompletedEpochs;
        history.Clear();
        history.AddRange(state.History);
        bestValidation = state.BestRecall;
        bestEpoch = state.BestEpoch;
    }

    private void SaveBest(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.Write(Path.Combine(folder, BestNetworkFile), path => Network.save(path));
    }

    private void RememberBest()
    {
        DisposeBestWeights();
        bestWeights = Network.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
    }

    private void DisposeBestWeights()
    {
        foreach (var tensor in bestWeights?.Values ?? Enumerable.Empty<Tensor>())
        {
            tensor.Dispose();
        }
        bestWeights = null;
    }

    private void RestoreBest(string? folder)
    {
        if (folder is not null && File.Exists(Path.Combine(folder, BestNetworkFile)))
        {
            Network.load(Path.Combine(folder, BestNetworkFile));
        }
        else if (bestWeights is not null)
        {
            Network.load_state_dict(bestWeights);
        }
    }
}

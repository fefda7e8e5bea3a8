using Funnel.Candidates.Batching;
using Funnel.Candidates.Model;
using Funnel.Data.Examples;
using static TorchSharp.torch;

namespace Funnel.Candidates.Tests.Model;

public sealed class SequenceWindowTests(TinyWorld world)
    : IClassFixture<TinyWorld>
{
    [Fact]
    public void A_window_position_gives_the_user_vector_of_the_example_read_on_its_own()
    {
        var split = world.Split;
        var options = world.Network with { Encoder = HistoryEncoderKind.Attention, HistoryLength = split.Options.MaxWatchHistory, AttentionBlocks = 2, AttentionHeads = 2, Dropout = 0 };
        manual_seed(5);
        using var network = new CandidateNetwork(options);
        network.eval();
        var sequences = TrainingSequences.Create(split, options.HistoryLength);
        var builder = new CandidateBatchBuilder(split);
        var windows = new CandidateBatch(sequences.MostExamplesPerWindow, 1);
        var single = new CandidateBatch(1, options.HistoryLength);
        var compared = 0;

        using var _ = no_grad();
        for (var w = 0; w < sequences.Count && compared < 20; w++)
        {
            builder.FillSequences(sequences, [w], windows);
            using var windowTensors = CandidateBatchTensors.From(windows);
            using var fromWindow = network.forward(windowTensors);
            var window = sequences.Rows.AsSpan(w * sequences.Length, sequences.Length).ToArray();
            for (var i = sequences.WindowExampleStart[w]; i < sequences.WindowExampleStart[w + 1]; i++)
            {
                var slot = i - sequences.WindowExampleStart[w];
                builder.FillTraining([sequences.Examples[i]], single);
                // Alike when the window holds exactly the example's history, its newest watch in the last column.
                if (sequences.Positions[i] != sequences.Length - 1 || window.Count(row => row != 0) != single.WatchRowCount)
                {
                    continue;
                }
                using var ownTensors = CandidateBatchTensors.From(single);
                using var fromOwn = network.forward(ownTensors);
                Assert.True(fromWindow[slot].allclose(fromOwn[0], rtol: 0, atol: 1e-5), $"example {sequences.Examples[i]}");
                compared++;
            }
        }

        Assert.True(compared > 0, "no example had its whole history in the last column of a window");
    }

    [Fact]
    public void The_averaged_bag_refuses_a_batch_of_windows()
    {
        manual_seed(5);
        using var network = new CandidateNetwork(world.Network);
        var sequences = TrainingSequences.Create(world.Split, 50);
        var batch = new CandidateBatch(sequences.MostExamplesPerWindow, 1);
        new CandidateBatchBuilder(world.Split).FillSequences(sequences, [0], batch);
        using var tensors = CandidateBatchTensors.From(batch);

        Assert.Throws<ArgumentException>(() => network.forward(tensors));
    }
}

using Funnel.Candidates.Batching;
using Funnel.Candidates.Model;
using Funnel.Data.Examples;
using static TorchSharp.torch;

namespace Funnel.Candidates.Tests.Model;

public sealed class AttentionEncoderTests
{
    private static readonly CandidateNetworkOptions Attention = new(Videos: 30, Tokens: 10, Regions: 3, Devices: 2, Languages: 2, EmbeddingDimension: 8, TowerWidths: [], CategoryDimension: 4, Encoder: HistoryEncoderKind.Attention, HistoryLength: 6, AttentionBlocks: 2, AttentionHeads: 2, Dropout: 0.2);

    [Fact]
    public void No_position_sees_a_later_one()
    {
        manual_seed(3);
        using var network = new CandidateNetwork(Attention);
        using var history = tensor(new long[] { 0, 5, 7, 9, 11, 13 }, [1, 6]);
        using var changed = tensor(new long[] { 0, 5, 7, 9, 20, 21 }, [1, 6]);

        using var before = network.HistoryOutputs(history);
        using var after = network.HistoryOutputs(changed);

        // Positions 0–3 are the same history up to themselves: changing positions 4 and 5 leaves them as they were.
        Assert.True(before.narrow(1, 0, 4).allclose(after.narrow(1, 0, 4), rtol: 0, atol: 1e-6));
        Assert.False(before.narrow(1, 4, 2).allclose(after.narrow(1, 4, 2), rtol: 0, atol: 1e-6));
        // Padding is neither read nor output.
        Assert.Equal(0f, before[0, 0].abs().sum().item<float>());
    }

    [Fact]
    public void The_history_vector_is_the_newest_positions_output()
    {
        manual_seed(4);
        using var network = new CandidateNetwork(Attention with { Dropout = 0, Features = FeatureSet.WatchesOnly });
        // Two histories of different lengths: the shorter one is padded on the left.
        using var tensors = CandidateBatchTensors.From(Histories([3, 8, 12, 4, 5], [9, 2]));
        using var all = network.HistoryOutputs(tensors.WatchSequence);
        network.eval();

        using (no_grad())
        {
            // The tower (one linear layer) maps the history vector: compare through it.
            using var viaLast = network.forward(tensors);
            var tower = network.named_modules().Single(m => m.name == "tower").module as TorchSharp.Modules.Sequential;
            using var viaAll = tower!.forward(all.select(1, all.shape[1] - 1));
            Assert.True(viaLast.allclose(viaAll, rtol: 0, atol: 1e-5));
        }
    }

    [Fact]
    public void Order_matters_to_the_attention_encoder_and_not_to_the_mean()
    {
        manual_seed(3);
        using var attention = new CandidateNetwork(Attention);
        manual_seed(3);
        using var mean = new CandidateNetwork(Attention with { Encoder = HistoryEncoderKind.Mean });
        using var forward = CandidateBatchTensors.From(History(3, 8, 12));
        using var reversed = CandidateBatchTensors.From(History(12, 8, 3));
        attention.eval();
        mean.eval();

        using (no_grad())
        {
            Assert.False(attention.forward(forward).allclose(attention.forward(reversed), rtol: 0, atol: 1e-6));
            Assert.True(mean.forward(forward).allclose(mean.forward(reversed), rtol: 0, atol: 1e-6));
        }
    }

    [Fact]
    public void An_empty_history_and_a_history_longer_than_the_encoder_both_give_finite_vectors()
    {
        manual_seed(3);
        using var network = new CandidateNetwork(Attention);
        var empty = new CandidateBatch(1) { Count = 1 };
        using var emptyTensors = CandidateBatchTensors.From(empty);
        using var longTensors = CandidateBatchTensors.From(History([.. Enumerable.Range(1, 20).Select(i => (long)i)]));

        var emptyVector = network.UserVectors(empty);
        network.train();
        using var longVector = network.forward(longTensors);

        Assert.All(emptyVector, v => Assert.True(float.IsFinite(v)));
        Assert.True(longVector.isfinite().all().item<bool>());
    }

    [Fact]
    public void The_same_seed_builds_the_same_encoder()
    {
        using var batch = CandidateBatchTensors.From(History(3, 8, 12));
        manual_seed(9);
        using var first = new CandidateNetwork(Attention);
        manual_seed(9);
        using var second = new CandidateNetwork(Attention);
        first.eval();
        second.eval();

        using (no_grad())
        {
            Assert.True(first.forward(batch).allclose(second.forward(batch), rtol: 0, atol: 0));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Tied_tables_read_histories_with_the_video_vectors_and_train_them_once(bool sparse)
    {
        manual_seed(3);
        using var tied = new CandidateNetwork(Attention with { TiedVideoTables = true, SparseTables = sparse, Dropout = 0 });
        manual_seed(3);
        using var separate = new CandidateNetwork(Attention with { SparseTables = sparse });
        static int Tables(CandidateNetwork n) => n.parameters().Count(p => p.shape.SequenceEqual(new long[] { 30, 8 }));

        Assert.Equal(1, Tables(tied));
        Assert.Equal(2, Tables(separate));
        // Each optimiser sees the one table once.
        Assert.Equal(sparse ? 2 : 0, tied.SparseParameters.Count());
        Assert.Equal(sparse ? 0 : 1, tied.DenseParameters.Count(p => p.shape.SequenceEqual(new long[] { 30, 8 })));

        // A history's videos move with the video table: changing video 8's vector changes the history vector
        // (not by a constant: the layer norms take that away).
        using var batch = CandidateBatchTensors.From(History(3, 8, 12));
        tied.eval();
        using var _ = no_grad();
        using var before = tied.forward(batch);
        tied.VideoTable[8].add_(randn(8));
        using var after = tied.forward(batch);
        Assert.False(before.allclose(after, rtol: 0, atol: 1e-4));
    }

    [Fact]
    public void Tied_tables_need_the_attention_encoder() =>
        Assert.Throws<ArgumentException>(() => new CandidateNetworkOptions(Videos: 30, Tokens: 10, Regions: 3, Devices: 2, Languages: 2, TiedVideoTables: true).Validate());

    [Fact]
    public void Dense_tables_train_with_the_dense_optimiser()
    {
        manual_seed(3);
        using var network = new CandidateNetwork(Attention with { SparseTables = false });

        Assert.Empty(network.SparseParameters);
        Assert.Contains(network.DenseParameters, p => p.shape.SequenceEqual(new long[] { 30, 8 }));
    }

    /// <summary>One example whose watches are <paramref name="rows"/>, oldest first.</summary>
    private static CandidateBatch History(params long[] rows) => Histories(rows);

    /// <summary>One example per history, each oldest first.</summary>
    private static CandidateBatch Histories(params long[][] histories)
    {
        var batch = new CandidateBatch(histories.Length, histories.Max(h => h.Length)) { Count = histories.Length };
        for (var i = 0; i < histories.Length; i++)
        {
            batch.WatchOffsets[i] = batch.WatchRowCount;
            histories[i].CopyTo(batch.ReserveWatchRows(histories[i].Length), batch.WatchRowCount);
            batch.WatchRowCount += histories[i].Length;
        }
        return batch;
    }
}

using Funnel.Candidates.Batching;
using Funnel.Candidates.Model;
using Funnel.Data.Examples;
using static TorchSharp.torch;

namespace Funnel.Candidates.Tests.Model;

public sealed class CandidateNetworkTests
{
    private static readonly CandidateNetworkOptions Small = new(Videos: 20, Tokens: 10, Regions: 3, Devices: 2, Languages: 2, EmbeddingDimension: 8, TowerWidths: [16, 8], CategoryDimension: 4);

    [Fact]
    public void Maps_a_batch_to_one_user_vector_per_example()
    {
        manual_seed(1);
        using var network = new CandidateNetwork(Small);
        using var batch = CandidateBatchTensors.From(TwoExamples());

        using var users = network.forward(batch);

        Assert.Equal(new long[] { 2, 8 }, users.shape);
        // The paper's tower: ReLU on every layer, so u is non-negative.
        Assert.True(users.min().item<float>() >= 0f);
    }

    [Fact]
    public void Dropout_draws_fresh_masks_in_training_and_none_in_evaluation()
    {
        manual_seed(1);
        using var network = new CandidateNetwork(Small with { Encoder = HistoryEncoderKind.Attention, HistoryLength = 4, AttentionBlocks = 1, Dropout = 0.5 });
        using var batch = CandidateBatchTensors.From(TwoExamples());
        using var _ = no_grad();

        network.train();
        using var first = network.forward(batch);
        using var second = network.forward(batch);
        network.eval();
        using var evaluated = network.forward(batch);
        using var again = network.forward(batch);

        Assert.False(first.allclose(second), "training forwards drew the same dropout masks");
        Assert.True(evaluated.allclose(again, rtol: 0, atol: 0), "evaluation still drops");
    }

    [Fact]
    public void An_empty_history_still_gives_a_finite_vector()
    {
        manual_seed(1);
        using var network = new CandidateNetwork(Small);
        var empty = new CandidateBatch(1) { };
        empty.Count = 1;
        using var batch = CandidateBatchTensors.From(empty);

        using var users = network.forward(batch);

        Assert.True(users.isfinite().all().item<bool>());
    }

    [Theory]
    [InlineData(0)] // a linear map: the paper's depth 0
    [InlineData(1)]
    [InlineData(4)]
    public void Builds_every_paper_depth(int depth)
    {
        manual_seed(1);
        var options = Small with { EmbeddingDimension = 16, TowerWidths = CandidateNetworkOptions.PaperTowerOfDepth(depth, 16) };
        using var network = new CandidateNetwork(options);
        using var batch = CandidateBatchTensors.From(TwoExamples());

        Assert.Equal(new long[] { 2, 16 }, network.forward(batch).shape);
    }

    [Fact]
    public void Feature_sets_change_what_the_tower_reads()
    {
        Assert.Equal(8 + 8 + (4 * 4) + 3 + 3, Small.InputWidth);
        Assert.Equal(8, (Small with { Features = FeatureSet.WatchesOnly }).InputWidth);
        manual_seed(1);
        using var network = new CandidateNetwork(Small with { Features = FeatureSet.WatchesOnly });
        using var batch = CandidateBatchTensors.From(TwoExamples());

        Assert.Equal(new long[] { 2, 8 }, network.forward(batch).shape);
    }

    [Fact]
    public void Cosine_output_gives_unit_user_and_video_vectors()
    {
        manual_seed(1);
        using var network = new CandidateNetwork(Small with { Output = OutputKind.Cosine });
        using var batch = CandidateBatchTensors.From(TwoExamples());

        using var users = network.forward(batch);
        using var videos = network.ServingVideoVectors();

        Assert.All(users.norm(1).data<float>().ToArray(), n => Assert.Equal(1f, n, 4));
        Assert.All(videos.norm(1).data<float>().ToArray(), n => Assert.Equal(1f, n, 4));
    }

    [Fact]
    public void Rejects_a_tower_that_does_not_end_at_the_embedding_width()
    {
        var error = Assert.Throws<ArgumentException>(() => (Small with { TowerWidths = [16, 12] }).Validate());

        Assert.Contains("last tower width (12) must equal the embedding dimension (8)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_then_load_gives_the_same_output()
    {
        var path = Path.Combine(Path.GetTempPath(), $"funnel-network-{Guid.NewGuid():N}.bin");
        try
        {
            manual_seed(1);
            using var saved = new CandidateNetwork(Small);
            using var batch = CandidateBatchTensors.From(TwoExamples());
            using var expected = saved.forward(batch);
            saved.save(path);

            manual_seed(2);
            using var loaded = new CandidateNetwork(Small);
            loaded.load(path);

            Assert.True(loaded.forward(batch).allclose(expected));
            Assert.Equal(saved.state_dict().Keys.Order(), loaded.state_dict().Keys.Order());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Sparse_tables_get_sparse_gradients_and_the_rest_dense()
    {
        manual_seed(1);
        using var network = new CandidateNetwork(Small);
        using var batch = CandidateBatchTensors.From(TwoExamples());

        using var scores = network.Score(network.forward(batch), tensor(new long[] { 1, 2, 3 }));
        scores.sum().backward();

        Assert.All(network.SparseParameters, p => Assert.True(p.grad!.is_sparse));
        Assert.All(network.DenseParameters.Where(p => p.grad is not null), p => Assert.False(p.grad!.is_sparse));
        Assert.Equal(3, network.SparseParameters.Count());
    }

    /// <summary>Example 0: watched rows 1, 2, tokens 3; example 1: watched row 4, no tokens.</summary>
    private static CandidateBatch TwoExamples()
    {
        var batch = new CandidateBatch(2) { Count = 2 };
        long[] watches = [1, 2, 4];
        watches.CopyTo(batch.ReserveWatchRows(3), 0);
        batch.WatchRowCount = 3;
        batch.WatchOffsets[1] = 2;
        batch.ReserveTokenRows(1)[0] = 3;
        batch.TokenRowCount = 1;
        batch.TokenOffsets[1] = 1;
        batch.Regions[0] = 1;
        batch.Devices[1] = 1;
        batch.Genders[0] = 2;
        batch.Dense[0] = 0.3f;
        batch.Dense[3] = 0.5f;
        return batch;
    }
}

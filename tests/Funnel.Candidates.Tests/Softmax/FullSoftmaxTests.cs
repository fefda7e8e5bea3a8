using Funnel.Candidates.Softmax;
using static TorchSharp.torch;

namespace Funnel.Candidates.Tests.Softmax;

public sealed class FullSoftmaxTests
{
    [Fact]
    public void The_full_softmax_equals_the_sampled_one_with_every_video_as_a_negative_and_no_correction()
    {
        const int videos = 9;
        manual_seed(5);
        using var scope = NewDisposeScope();
        var users = randn(4, 3);
        var table = randn(videos, 3);
        Tensor Score(Tensor rows) => matmul(users, table.index_select(0, rows).t());
        long[] labels = [1, 4, 4, 8];
        var everyVideo = Enumerable.Range(1, videos - 1).Select(i => (long)i).ToArray();
        var sampled = new SampledSoftmax(new SampledSoftmaxOptions(Negatives: everyVideo.Length, InBatchNegatives: false, CorrectLogQ: false), new FixedSampler(videos, everyVideo), new FixedSampler(videos, 1));

        var full = FullSoftmax.Loss(users, table.narrow(0, 1, videos - 1), labels).item<float>();
        using var logits = sampled.Compute(Score, labels, new Random(1));
        var estimate = logits.Loss().item<float>();

        Assert.Equal(full, estimate, 5);
    }

    [Fact]
    public void A_batch_scored_in_row_chunks_has_the_loss_and_gradients_of_one_scored_whole()
    {
        // Enough rows × videos that the logits pass the chunk size: 5 chunks of 1,024 rows here.
        const int videos = 4_097;
        const int rows = 5_000;
        manual_seed(6);
        using var scope = NewDisposeScope();
        var chunkedUsers = randn(rows, 8).requires_grad_();
        var wholeUsers = chunkedUsers.detach().clone().requires_grad_();
        var chunkedTable = randn(videos - 1, 8).requires_grad_();
        var wholeTable = chunkedTable.detach().clone().requires_grad_();
        var random = new Random(2);
        var labels = Enumerable.Range(0, rows).Select(_ => (long)random.Next(1, videos)).ToArray();
        Assert.True((long)rows * (videos - 1) * sizeof(float) > FullSoftmax.ChunkBytes, "the batch is scored in more than one chunk");

        var chunked = FullSoftmax.Loss(chunkedUsers, chunkedTable, labels);
        var whole = nn.functional.cross_entropy(matmul(wholeUsers, wholeTable.t()), tensor(labels.Select(l => l - 1).ToArray()));
        chunked.backward();
        whole.backward();

        Assert.Equal(whole.item<float>(), chunked.item<float>(), 4);
        Assert.True(chunkedUsers.grad!.allclose(wholeUsers.grad!, rtol: 1e-4, atol: 1e-7), "user gradients differ");
        Assert.True(chunkedTable.grad!.allclose(wholeTable.grad!, rtol: 1e-4, atol: 1e-7), "table gradients differ");
    }
}

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

        var full = FullSoftmax.Loss(Score, labels, videos).item<float>();
        using var logits = sampled.Compute(Score, labels, new Random(1));
        var estimate = logits.Loss().item<float>();

        Assert.Equal(full, estimate, 5);
    }

    [Fact]
    public void Row_zero_is_never_a_class()
    {
        using var scope = NewDisposeScope();
        // Row 0 scores far above everything: were it a class, the loss would be large.
        Tensor Score(Tensor rows) => rows.eq(0).to_type(ScalarType.Float32).unsqueeze(0) * 100f;

        var loss = FullSoftmax.Loss(Score, [1], 3).item<float>();

        Assert.Equal(MathF.Log(2), loss, 5);
    }
}

using Funnel.Candidates.Softmax;
using static TorchSharp.torch;

namespace Funnel.Candidates.Tests.Softmax;

public sealed class SampledSoftmaxTests
{
    // Rows 1..7 with skewed popularity; row 0 is the out-of-vocabulary row and never a class.
    private static readonly long[] Counts = [0, 1000, 300, 100, 30, 10, 3, 1];
    private static readonly float[] Scores = [0f, 0.2f, -0.1f, 0.4f, 0.0f, 0.3f, -0.2f, 0.1f];
    private const int Label = 3;

    [Fact]
    public void With_logq_correction_the_gradient_spreads_over_negatives_as_the_full_softmax_does()
    {
        var full = FullSoftmaxNegativeShares();

        var corrected = SampledNegativeShares(correct: true);
        var uncorrected = SampledNegativeShares(correct: false);

        var correctedError = full.Zip(corrected, (a, b) => Math.Abs(a - b)).Max();
        var uncorrectedError = full.Zip(uncorrected, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(correctedError < 0.02, $"corrected: max share error {correctedError:F3}, uncorrected {uncorrectedError:F3}");
        Assert.True(uncorrectedError > 0.2, $"uncorrected: max share error {uncorrectedError:F3} (popular rows over-penalised)");
    }

    [Fact]
    public void Accidental_hits_are_masked_and_each_rows_positive_is_its_own_in_batch_column()
    {
        // Labels 2, 2, 5; the shared samples are 2 and 7.
        var task = new SampledSoftmax(new SampledSoftmaxOptions(Negatives: 2, CorrectLogQ: false), new FixedSampler(8, 2, 7), new FixedSampler(8, 1));
        using var scope = NewDisposeScope();
        using var logits = task.Compute(rows => zeros(3, rows.shape[0]), [2, 2, 5], new Random(1));

        // Columns: in-batch 2, 2, 5 (row i's positive is column i) | sampled 2, 7.
        var values = logits.Logits.data<float>().ToArray();
        bool[] Masked(int row) => Enumerable.Range(0, 5).Select(c => float.IsNegativeInfinity(values[(row * 5) + c])).ToArray();
        Assert.Equal([2L, 2, 5, 2, 7], logits.Columns);
        Assert.Equal([0L, 1, 2], logits.Targets.data<long>().ToArray());
        Assert.Equal([false, true, false, true, false], Masked(0));
        Assert.Equal([true, false, false, true, false], Masked(1));
        Assert.Equal([false, false, false, false, false], Masked(2));
    }

    [Fact]
    public void The_loss_is_the_corrected_softmax_over_the_positive_and_the_unmasked_negatives()
    {
        // Labels 2, 2, 5; samples 2, 7, 4 (row 1's positive 2 is also a sample and a batch label).
        var positives = new FixedSampler(8, 1);
        var negatives = new FixedSampler(8, 2, 7, 4);
        var task = new SampledSoftmax(new SampledSoftmaxOptions(Negatives: 3), negatives, positives);
        var correction = new LogQCorrection(negatives, positives);
        long[] labels = [2, 2, 5];
        manual_seed(5);
        using var scope = NewDisposeScope();
        var scores = randn(3, 8);
        using var logits = task.Compute(rows => scores.index_select(1, rows), labels, new Random(1));

        // By hand: each row's corrected positive against every corrected column that is not its video.
        long[] columns = [2, 2, 5, 2, 7, 4];
        var corrections = correction.LogExpectedCounts(columns, 3, 3, inBatch: true);
        var table = scores.data<float>().ToArray();
        double Logit(int row, int column) => table[(row * 8) + columns[column]] - corrections[column];
        var expected = Enumerable.Range(0, 3).Average(row =>
        {
            var negativeSum = Enumerable.Range(0, columns.Length).Where(c => columns[c] != labels[row]).Sum(c => Math.Exp(Logit(row, c)));
            var positive = Math.Exp(Logit(row, row));
            return -Math.Log(positive / (positive + negativeSum));
        });
        Assert.Equal(expected, logits.Loss().item<float>(), 4);
    }

    [Fact]
    public void The_positive_is_column_zero_of_the_loss()
    {
        var task = new SampledSoftmax(new SampledSoftmaxOptions(Negatives: 1, InBatchNegatives: false, CorrectLogQ: false), new FixedSampler(4, 2), new FixedSampler(4, 1));
        using var scope = NewDisposeScope();
        // Positive scored 0, the one negative scored ln 3: loss = -ln(1 / (1 + 3)) = ln 4.
        using var logits = task.Compute(rows => rows.eq(2).to_type(ScalarType.Float32).unsqueeze(0) * MathF.Log(3f), [1], new Random(1));

        Assert.Equal(MathF.Log(4f), logits.Loss().item<float>(), 5);
    }

    /// <summary>p_j / Σ_{k≠y} p_k over rows 1..7, j ≠ y, for the full softmax of <see cref="Scores"/>.</summary>
    private static double[] FullSoftmaxNegativeShares()
    {
        var exp = Enumerable.Range(1, 7).Select(r => Math.Exp(Scores[r])).ToArray();
        var negatives = Enumerable.Range(1, 7).Where(r => r != Label).Sum(r => exp[r - 1]);
        return Enumerable.Range(1, 7).Select(r => r == Label ? 0 : exp[r - 1] / negatives).ToArray();
    }

    /// <summary>The same shares from the averaged gradient of the sampled softmax over many draws.</summary>
    private static double[] SampledNegativeShares(bool correct)
    {
        var sampler = new UnigramSampler(Counts, power: 1.0);
        var task = new SampledSoftmax(new SampledSoftmaxOptions(Negatives: 2048, InBatchNegatives: false, CorrectLogQ: correct), sampler, sampler);
        var random = new Random(7);
        using var scores = tensor(Scores).requires_grad_(true);
        for (var draw = 0; draw < 300; draw++)
        {
            using var scope = NewDisposeScope();
            using var logits = task.Compute(rows => scores.index_select(0, rows).unsqueeze(0), [Label], random);
            logits.Loss().backward();
        }
        var gradient = scores.grad!.data<float>().ToArray();
        var negatives = Enumerable.Range(1, 7).Where(r => r != Label).Sum(r => (double)gradient[r]);
        return Enumerable.Range(1, 7).Select(r => r == Label ? 0 : gradient[r] / negatives).ToArray();
    }
}

namespace Funnel.Candidates.Softmax;

/// <summary>
/// Draws rows in proportion to count^power (word2vec's unigram^0.75 flattens the head; power 1 is
/// the data distribution itself). Rows with no count are never drawn.
/// </summary>
public sealed class UnigramSampler : NegativeSampler
{
    private readonly double[] cumulative;
    private readonly double total;

    /// <summary>A sampler from per-row counts (index = row; row 0 is ignored).</summary>
    public UnigramSampler(ReadOnlySpan<long> counts, double power = 0.75)
    {
        if (counts.Length < 2)
        {
            throw new ArgumentException($"need at least 2 rows, got {counts.Length}");
        }
        Rows = counts.Length;
        cumulative = new double[counts.Length];
        double running = 0;
        for (var row = 1; row < counts.Length; row++)
        {
            running += counts[row] > 0 ? Math.Pow(counts[row], power) : 0.0;
            cumulative[row] = running;
        }
        if (running <= 0)
        {
            throw new ArgumentException("every count is zero: nothing to sample");
        }
        total = running;
    }

    /// <inheritdoc />
    public override int Rows { get; }

    /// <inheritdoc />
    public override double Probability(long row) =>
        row >= 1 && row < Rows ? (cumulative[row] - cumulative[row - 1]) / total : 0.0;

    /// <inheritdoc />
    public override void Sample(Random random, Span<long> rows)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            var target = random.NextDouble() * total;
            var index = Array.BinarySearch(cumulative, 1, Rows - 1, target);
            // The first row whose cumulative weight exceeds the target.
            index = index < 0 ? ~index : index + 1;
            rows[i] = Math.Min(index, Rows - 1);
        }
    }
}

namespace Funnel.Candidates.Softmax;

/// <summary>
/// Log-uniform (Zipfian) draws over a frequency-sorted vocabulary: P(row r) = ln((r + 1) / r) / ln(N + 1)
/// for r in 1..N, so frequent (low) rows are drawn more often, as popularity is. No counts needed.
/// </summary>
public sealed class LogUniformSampler : NegativeSampler
{
    private readonly int videos;
    private readonly double logRange;

    /// <summary>A sampler over rows 1..<paramref name="rows"/> - 1.</summary>
    public LogUniformSampler(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 2);
        Rows = rows;
        videos = rows - 1;
        logRange = Math.Log(videos + 1.0);
    }

    /// <inheritdoc />
    public override int Rows { get; }

    /// <inheritdoc />
    public override double Probability(long row) =>
        row >= 1 && row <= videos ? Math.Log((row + 1.0) / row) / logRange : 0.0;

    /// <inheritdoc />
    public override void Sample(Random random, Span<long> rows)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            // exp(U · ln(N + 1)) is in [1, N + 1): its floor has exactly the probability above.
            var row = (long)Math.Exp(random.NextDouble() * logRange);
            rows[i] = Math.Clamp(row, 1, videos);
        }
    }
}

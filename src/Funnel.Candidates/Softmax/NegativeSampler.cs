namespace Funnel.Candidates.Softmax;

/// <summary>
/// Draws negative video rows (1..Rows-1; row 0 is the out-of-vocabulary row and never drawn) with a
/// known probability per row, which the logQ correction subtracts.
/// </summary>
public abstract class NegativeSampler
{
    /// <summary>Rows of the vocabulary, including the reserved row 0.</summary>
    public abstract int Rows { get; }

    /// <summary>The probability that one draw returns <paramref name="row"/>.</summary>
    public abstract double Probability(long row);

    /// <summary>Fills <paramref name="rows"/> with independent draws (with replacement).</summary>
    public abstract void Sample(Random random, Span<long> rows);
}

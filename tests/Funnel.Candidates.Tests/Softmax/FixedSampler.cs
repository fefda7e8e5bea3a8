using Funnel.Candidates.Softmax;

namespace Funnel.Candidates.Tests.Softmax;

/// <summary>Returns the given rows in order, claiming a uniform probability over rows 1..Rows-1.</summary>
internal sealed class FixedSampler(int rows, params long[] draws) : NegativeSampler
{
    public override int Rows => rows;

    public override double Probability(long row) => row >= 1 && row < rows ? 1.0 / (rows - 1) : 0.0;

    public override void Sample(Random random, Span<long> output)
    {
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = draws[i % draws.Length];
        }
    }
}

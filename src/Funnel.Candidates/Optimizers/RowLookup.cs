using Funnel.Torch;

namespace Funnel.Candidates.Optimizers;

/// <summary>One read of an embedding table in a training step, with the gradient its output received.</summary>
/// <param name="Ids">The table rows read.</param>
/// <param name="BagStarts">For mean bags, where each bag starts in <paramref name="Ids"/> (gradient row b is bag b's); null when gradient row i is id i's.</param>
/// <param name="Gradient">The gradient of the lookup's output, a row per bag or per id.</param>
/// <param name="PaddingRow">A row that never learns (the embedding's padding index), or -1.</param>
internal readonly record struct RowLookup(ReadOnlyMemory<long> Ids, ReadOnlyMemory<int>? BagStarts, TensorRows Gradient, long PaddingRow);

using System.Buffers;
using Funnel.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Funnel.Candidates.Optimizers;

/// <summary>
/// The embedding-table reads of one training step, taken outside autograd: each read's output is a
/// leaf whose gradient the tape keeps, with the rows it read, so the table optimisers sum and apply
/// the step's gradient in one pass per table (<see cref="SparseRowOptimizer.Step(EmbeddingLookupTape)"/>)
/// instead of through autograd's sparse embedding backward. Reads and results are the modules' own;
/// only the way the gradient reaches the table changes. <see cref="Clear"/> ends the step.
/// </summary>
public sealed class EmbeddingLookupTape : IDisposable
{
    private readonly List<Entry> entries = [];

    /// <summary>The mean of each bag's rows, as <paramref name="bags"/> computes it. ids [N], offsets [B] (bag starts) → [B, D]</summary>
    public Tensor MeanBags(EmbeddingBag bags, Tensor ids, Tensor offsets)
    {
        Tensor output;
        using (no_grad())
        {
            output = bags.forward(ids, offsets, null);
        }
        var starts = new long[offsets.numel()];
        using (var contiguous = offsets.contiguous())
        {
            TensorRows.CopyInt64(contiguous, starts);
        }
        var bagStarts = ArrayPool<int>.Shared.Rent(starts.Length);
        for (var i = 0; i < starts.Length; i++)
        {
            bagStarts[i] = checked((int)starts[i]);
        }
        return Record(bags.weight!, output, ids, bagStarts, starts.Length, paddingRow: -1);
    }

    /// <summary>The rows <paramref name="rows"/> of <paramref name="embedding"/> (any shape [...] → [..., D]); <paramref name="paddingRow"/> learns nothing (-1: none).</summary>
    public Tensor Rows(Embedding embedding, Tensor rows, long paddingRow = -1)
    {
        Tensor output;
        using (no_grad())
        {
            output = embedding.forward(rows);
        }
        return Record(embedding.weight!, output, rows, bagStarts: null, bagCount: 0, paddingRow);
    }

    private Tensor Record(Tensor table, Tensor output, Tensor ids, int[]? bagStarts, int bagCount, long paddingRow)
    {
        var count = checked((int)ids.numel());
        var copied = ArrayPool<long>.Shared.Rent(count);
        using (var flat = ids.reshape(-1).contiguous())
        {
            TensorRows.CopyInt64(flat, copied.AsSpan(0, count));
        }
        // The tape owns the leaf until Clear: a caller's dispose scope must not free it before backward.
        output.DetachFromDisposeScope();
        output.requires_grad_(true);
        entries.Add(new Entry(TensorRows.Address(table), copied, count, bagStarts, bagCount, paddingRow, output));
        return output;
    }

    /// <summary>The reads of <paramref name="table"/> that received a gradient, for its optimiser.</summary>
    internal IReadOnlyList<RowLookup> LookupsOf(Tensor table)
    {
        var data = TensorRows.Address(table);
        var lookups = new List<RowLookup>();
        foreach (var entry in entries.Where(e => e.Table == data))
        {
            using var gradient = entry.Output.grad;
            if (gradient is null)
            {
                continue;
            }
            entry.Gradient?.Dispose();
            entry.Gradient = gradient.contiguous();
            // Not a conditional expression: its null would become an empty Memory (through the array
            // conversion) and make every row read a mean bag of no bags.
            ReadOnlyMemory<int>? bagStarts = null;
            if (entry.BagStarts is not null)
            {
                bagStarts = entry.BagStarts.AsMemory(0, entry.BagCount);
            }
            lookups.Add(new RowLookup(entry.Ids.AsMemory(0, entry.IdCount), bagStarts, new TensorRows(entry.Gradient), entry.PaddingRow));
        }
        return lookups;
    }

    /// <summary>Ends the step: releases every read's output, gradient and buffers.</summary>
    public void Clear()
    {
        foreach (var entry in entries)
        {
            entry.Gradient?.Dispose();
            entry.Output.Dispose();
            ArrayPool<long>.Shared.Return(entry.Ids);
            if (entry.BagStarts is not null)
            {
                ArrayPool<int>.Shared.Return(entry.BagStarts);
            }
        }
        entries.Clear();
    }

    /// <inheritdoc />
    public void Dispose() => Clear();

    private sealed record Entry(nint Table, long[] Ids, int IdCount, int[]? BagStarts, int BagCount, long PaddingRow, Tensor Output)
    {
        public Tensor? Gradient { get; set; }
    }
}

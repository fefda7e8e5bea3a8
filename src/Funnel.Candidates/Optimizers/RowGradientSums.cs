using System.Numerics.Tensors;

namespace Funnel.Candidates.Optimizers;

/// <summary>
/// One step's gradient of an embedding table, summed per row in one pass over the step's lookups,
/// then handed to the optimiser once per touched row. This replaces autograd's sparse embedding
/// backward, a <c>unique</c> and an <c>index_add_</c>, which each wrote a row per lookup (25,600 of
/// them per 50-id bag table and batch of 512). The table's rows are split between the cores by row
/// number: every row is summed in lookup order by one thread, so the sums, and therefore training,
/// do not depend on how many threads there are.
/// </summary>
internal sealed class RowGradientSums
{
    private readonly int width;
    private readonly int[] slots;
    private readonly Partition[] partitions;

    /// <summary>Sums for a table of <paramref name="rows"/> rows of <paramref name="width"/> values.</summary>
    public RowGradientSums(long rows, int width)
    {
        this.width = width;
        // The slot of each table row among its partition's rows this step, or -1: 4 bytes a row,
        // so finding a row's running sum is one array read, not a hash lookup.
        slots = new int[checked((int)rows)];
        Array.Fill(slots, -1);
        partitions = [.. Enumerable.Range(0, Math.Clamp(Environment.ProcessorCount, 1, 8)).Select(_ => new Partition())];
    }

    /// <summary>
    /// Sums the gradients of <paramref name="lookups"/> per row and calls <paramref name="update"/>
    /// once for every row that has one (concurrently for rows of different partitions).
    /// </summary>
    public void Apply(IReadOnlyList<RowLookup> lookups, Action<long, Span<float>> update)
    {
        if (partitions.Length == 1)
        {
            Apply(0, lookups, update);
            return;
        }
        Parallel.For(0, partitions.Length, p => Apply(p, lookups, update));
    }

    private void Apply(int p, IReadOnlyList<RowLookup> lookups, Action<long, Span<float>> update)
    {
        var partition = partitions[p];
        var count = (uint)partitions.Length;
        foreach (var lookup in lookups)
        {
            if (lookup.Gradient.Width != width)
            {
                throw new ArgumentException($"a lookup's gradient rows have {lookup.Gradient.Width} values, the table's {width}");
            }
            var ids = lookup.Ids.Span;
            if (lookup.BagStarts is { } starts)
            {
                var bagStarts = starts.Span;
                for (var bag = 0; bag < bagStarts.Length; bag++)
                {
                    var end = bag + 1 < bagStarts.Length ? bagStarts[bag + 1] : ids.Length;
                    if (end == bagStarts[bag])
                    {
                        continue;
                    }
                    // A mean bag passes 1/n of its gradient to each of its n ids.
                    var scale = 1f / (end - bagStarts[bag]);
                    var gradient = lookup.Gradient[bag];
                    for (var i = bagStarts[bag]; i < end; i++)
                    {
                        var row = ids[i];
                        if ((ulong)row % count == (ulong)p && row != lookup.PaddingRow)
                        {
                            Add(partition, row, gradient, scale);
                        }
                    }
                }
            }
            else
            {
                for (var i = 0; i < ids.Length; i++)
                {
                    var row = ids[i];
                    if ((ulong)row % count == (ulong)p && row != lookup.PaddingRow)
                    {
                        Add(partition, row, lookup.Gradient[i], 1f);
                    }
                }
            }
        }
        for (var slot = 0; slot < partition.Count; slot++)
        {
            var row = partition.Rows[slot];
            update(row, partition.Sums.AsSpan(slot * width, width));
            slots[row] = -1;
        }
        partition.Count = 0;
    }

    private void Add(Partition partition, long row, ReadOnlySpan<float> gradient, float scale)
    {
        var slot = slots[row];
        if (slot < 0)
        {
            slot = partition.Claim(row, width);
            slots[row] = slot;
            TensorPrimitives.Multiply(gradient, scale, partition.Sums.AsSpan(slot * width, width));
            return;
        }
        var sum = partition.Sums.AsSpan(slot * width, width);
        TensorPrimitives.MultiplyAdd(gradient, scale, sum, sum);
    }

    /// <summary>The rows one thread sums: their numbers and running sums, kept between steps so memory stays flat.</summary>
    private sealed class Partition
    {
        public long[] Rows { get; private set; } = new long[1024];

        public float[] Sums { get; private set; } = [];

        public int Count { get; set; }

        public int Claim(long row, int width)
        {
            if (Count == Rows.Length)
            {
                var rows = Rows;
                Array.Resize(ref rows, rows.Length * 2);
                Rows = rows;
            }
            if ((long)(Count + 1) * width > Sums.Length)
            {
                var sums = Sums;
                Array.Resize(ref sums, checked(Math.Max(Rows.Length, Count + 1) * width));
                Sums = sums;
            }
            Rows[Count] = row;
            return Count++;
        }
    }
}

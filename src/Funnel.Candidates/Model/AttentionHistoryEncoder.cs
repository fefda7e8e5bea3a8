using Funnel.Candidates.Optimizers;
using Funnel.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Funnel.Candidates.Model;

/// <summary>
/// The sequence-aware history encoder (as SASRec, Kang and McAuley 2018): the last L watches,
/// left-padded with row 0, embedded, plus a learned embedding of each position counted from the
/// newest (recency); causal self-attention blocks; the newest position's output is the history
/// vector, in place of the paper's average. A position never sees a later one, and padding is
/// neither seen nor read. The item table is the encoder's own, or (tied, as SASRec) the network's
/// video vectors, so every watch in a history also trains the softmax weights.
/// </summary>
/// <remarks>Shapes: B = batch, L = history positions (≤ <see cref="Length"/>), D = embedding width.</remarks>
internal sealed class AttentionHistoryEncoder : Module<Tensor, Tensor>
{
    // Large and finite: a row with no visible key (padding) gets uniform weights, never NaN.
    // Scalars are fields, not implicit conversions: a temporary one can be finalised while
    // native code still reads it (see RootedScalars).
    private static readonly Scalar Hidden = (-1e9f).ToScalar();

    private readonly Embedding? items;
    private readonly Func<Tensor, Tensor> embed;
    private readonly Func<EmbeddingLookupTape, Tensor, Tensor> record;
    private readonly Embedding positions;
    private readonly ModuleList<CausalSelfAttentionBlock> blocks;
    private readonly LayerNorm outputNorm;
    private readonly ManagedDropout dropout;
    private readonly Scalar scale;

    /// <summary>Builds the encoder: <paramref name="sharedItems"/> is the network's video table to read histories with, or null for a table of its own.</summary>
    public AttentionHistoryEncoder(int videos, int dimension, int length, int blockCount, int heads, double dropout, bool sparse, Embedding? sharedItems = null)
        : base(nameof(AttentionHistoryEncoder))
    {
        Length = length;
        // A shared table is read through a delegate, not held as a field: a registered submodule
        // would list its parameter twice and the optimiser would step it twice.
        items = sharedItems is null ? Embedding(videos, dimension, padding_idx: 0, sparse: sparse) : null;
        var table = sharedItems ?? items!;
        embed = table.forward;
        // The own table's padding row never learns, as its padding_idx says; the shared table has none.
        record = (tape, rows) => tape.Rows(table, rows, paddingRow: sharedItems is null ? 0 : -1);
        positions = Embedding(length, dimension);
        blocks = new ModuleList<CausalSelfAttentionBlock>([.. Enumerable.Range(0, blockCount).Select(i => new CausalSelfAttentionBlock($"block{i}", dimension, heads, dropout))]);
        outputNorm = LayerNorm(dimension);
        this.dropout = new ManagedDropout(dropout);
        scale = Math.Sqrt(dimension).ToScalar();
        using (no_grad())
        {
            // Recency rows as small as the item rows (PyTorch's default is N(0, 1)): otherwise
            // position drowns out which video was watched, and training starts from recency alone.
            positions.weight!.normal_(0, 0.05);
            if (items is not null)
            {
                items.weight!.normal_(0, 0.05);
                items.weight![0].zero_();
            }
        }
        RegisterComponents();
    }

    /// <summary>The training step's record of table reads (see <see cref="CandidateNetwork.RecordLookups"/>), or null.</summary>
    public EmbeddingLookupTape? Tape { get; set; }

    /// <summary>Most history positions read.</summary>
    public int Length { get; }

    /// <summary>The encoder's own item table (the input embeddings of watched videos), or null when it reads the shared one. [V, D]</summary>
    public Parameter? ItemTable => items?.weight;

    /// <summary>The module holding <see cref="ItemTable"/> (to tell its parameter apart by name), or null.</summary>
    public Module? ItemModule => items;

    /// <summary>The encoder's output at every position. [B, L] rows (0 = padding) → [B, L, D]; padded positions are 0.</summary>
    public override Tensor forward(Tensor sequence) => Run(sequence, lastOnly: false);

    /// <summary>The history vector: the output at the newest position, 0 for an empty history. [B, L] → [B, D]</summary>
    public Tensor Encode(Tensor sequence)
    {
        using var scope = NewDisposeScope();
        return Run(sequence, lastOnly: true).squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>Every position's output, or (<paramref name="lastOnly"/>) the newest one's, computed without the other positions' last block.</summary>
    private Tensor Run(Tensor sequence, bool lastOnly)
    {
        using var scope = NewDisposeScope();
        if (sequence.shape[1] > Length)
        {
            sequence = sequence.narrow(1, sequence.shape[1] - Length, Length);
        }
        var length = sequence.shape[1];
        var present = sequence.ne(RootedScalars.ZeroInt64).unsqueeze(-1).to_type(ScalarType.Float32);
        // Positions counted from the newest: the last column is always recency row Length - 1.
        var recency = TensorRanges.Of(Length - length, Length, sequence.device);
        // Padding rows are zeroed by the mask: a shared table's row 0 is not a padding row.
        var x = dropout.forward(((Tape is null ? embed(sequence) : record(Tape, sequence)) * scale).add(positions.forward(recency), RootedScalars.One)) * present;
        var visible = tril(ones(length, length, dtype: ScalarType.Bool, device: sequence.device)).unsqueeze(0) & sequence.ne(RootedScalars.ZeroInt64).unsqueeze(1);
        var mask = zeros(visible.shape, device: sequence.device).masked_fill(visible.logical_not(), Hidden).unsqueeze(1);
        for (var i = 0; i < blocks.Count; i++)
        {
            if (lastOnly && i == blocks.Count - 1)
            {
                present = present.narrow(1, length - 1, 1);
                x = blocks[i].Last(x, mask) * present;
            }
            else
            {
                x = blocks[i].forward(x, mask) * present;
            }
        }
        if (lastOnly && blocks.Count == 0)
        {
            present = present.narrow(1, length - 1, 1);
            x = x.narrow(1, length - 1, 1);
        }
        return (outputNorm.forward(x) * present).MoveToOuterDisposeScope();
    }
}

using Funnel.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Funnel.Candidates.Model;

/// <summary>
/// One pre-norm transformer block over a left-padded history: multi-head self-attention in which a
/// position sees itself and earlier positions only, then a position-wise feed-forward layer, each
/// with dropout and a residual connection. [B, L, D] → [B, L, D].
/// </summary>
internal sealed class CausalSelfAttentionBlock : Module<Tensor, Tensor, Tensor>
{
    private readonly int heads;
    private readonly LayerNorm attentionNorm;
    private readonly Linear queryKeyValue;
    private readonly Linear attentionOutput;
    private readonly LayerNorm feedForwardNorm;
    private readonly Linear feedForwardIn;
    private readonly Linear feedForwardOut;
    private readonly ManagedDropout dropout;
    // A field, not an implicit conversion per call (see RootedScalars).
    private readonly Scalar keyScale;

    public CausalSelfAttentionBlock(string name, int dimension, int heads, double dropout)
        : base(name)
    {
        if (dimension % heads != 0)
        {
            throw new ArgumentException($"the embedding dimension ({dimension}) must be a multiple of the attention heads ({heads})");
        }
        this.heads = heads;
        keyScale = (1 / Math.Sqrt(dimension / heads)).ToScalar();
        attentionNorm = LayerNorm(dimension);
        queryKeyValue = Linear(dimension, 3 * dimension);
        attentionOutput = Linear(dimension, dimension);
        feedForwardNorm = LayerNorm(dimension);
        feedForwardIn = Linear(dimension, dimension);
        feedForwardOut = Linear(dimension, dimension);
        this.dropout = new ManagedDropout(dropout);
        RegisterComponents();
    }

    /// <summary>The block over <paramref name="x"/> [B, L, D]; <paramref name="mask"/> [B, 1, L, L] is 0 where a query may see a key and a large negative elsewhere.</summary>
    public override Tensor forward(Tensor x, Tensor mask) => Apply(x, mask, lastOnly: false);

    /// <summary>
    /// The block's output at the last position only, [B, 1, D]: what a last block computes when
    /// nothing reads the other positions (every key and value is still computed).
    /// </summary>
    public Tensor Last(Tensor x, Tensor mask) => Apply(x, mask, lastOnly: true);

    private Tensor Apply(Tensor x, Tensor mask, bool lastOnly)
    {
        using var scope = NewDisposeScope();
        var (batch, length, dimension) = (x.shape[0], x.shape[1], x.shape[2]);
        var headWidth = dimension / heads;
        var qkv = queryKeyValue.forward(attentionNorm.forward(x)).view(batch, length, 3, heads, headWidth).permute(2, 0, 3, 1, 4);
        var (query, key, value) = (qkv[0], qkv[1], qkv[2]);
        if (lastOnly)
        {
            query = query.narrow(2, length - 1, 1);
            mask = mask.narrow(2, length - 1, 1);
            x = x.narrow(1, length - 1, 1);
        }
        var queries = query.shape[2];
        var weights = functional.softmax(matmul(query, key.transpose(-2, -1)).mul(keyScale).add(mask, RootedScalars.One), dim: -1);
        var attended = matmul(dropout.forward(weights), value).transpose(1, 2).reshape(batch, queries, dimension);
        x = x.add(dropout.forward(attentionOutput.forward(attended)), RootedScalars.One);
        var hidden = functional.relu(feedForwardIn.forward(feedForwardNorm.forward(x)));
        x = x.add(dropout.forward(feedForwardOut.forward(dropout.forward(hidden))), RootedScalars.One);
        return x.MoveToOuterDisposeScope();
    }
}

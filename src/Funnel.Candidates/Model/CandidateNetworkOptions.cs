namespace Funnel.Candidates.Model;

/// <summary>How user and video vectors are compared.</summary>
public enum OutputKind
{
    /// <summary>u·v, as the paper trains and serves it.</summary>
    DotProduct,

    /// <summary>cos(u, v) times a learned temperature: unit vectors, which nearest-neighbour indexes search far better.</summary>
    Cosine,
}

/// <summary>Which input feature groups the network reads (the paper's Figure 6 feature sets).</summary>
/// <param name="Searches">The bag of search tokens.</param>
/// <param name="ExampleAge">Example age with its square and root.</param>
/// <param name="Demographics">Region, device, language, gender embeddings; age with its square and root.</param>
public sealed record FeatureSet(bool Searches = true, bool ExampleAge = true, bool Demographics = true)
{
    /// <summary>Every feature: the paper's full model.</summary>
    public static readonly FeatureSet All = new();

    /// <summary>Watch history only.</summary>
    public static readonly FeatureSet WatchesOnly = new(false, false, false);

    /// <summary>
    /// The named feature sets (<c>--features</c>), the paper's Figure 6 sets first, smallest to full:
    /// the ablation trains those four, in this order.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, FeatureSet Features)> Named =
    [
        ("watches", WatchesOnly),
        ("watches+searches", new(Searches: true, ExampleAge: false, Demographics: false)),
        ("watches+searches+age", new(Searches: true, ExampleAge: true, Demographics: false)),
        ("all", All),
        ("no-example-age", All with { ExampleAge = false }),
    ];

    /// <summary>The sets of the paper's Figure 6, smallest to full.</summary>
    public static IReadOnlyList<(string Name, FeatureSet Features)> Figure6 => [.. Named.Take(4)];
}

/// <summary>The candidate network's shape; defaults are the paper's depth-3 model.</summary>
/// <param name="Videos">Rows of the video vocabulary (including the reserved row 0).</param>
/// <param name="Tokens">Rows of the token vocabulary (including row 0).</param>
/// <param name="Regions">Region category ids (id 0 = unknown).</param>
/// <param name="Devices">Device category ids.</param>
/// <param name="Languages">Language category ids.</param>
/// <param name="EmbeddingDimension">Width of video and token embeddings and of the user vector.</param>
/// <param name="TowerWidths">ReLU layers; the last one's output is the user vector, so its width is the embedding dimension. Empty: a single linear layer (depth 0).</param>
/// <param name="CategoryDimension">Width of each demographic category embedding.</param>
/// <param name="Output">Dot product or cosine with temperature.</param>
/// <param name="Features">Input feature groups.</param>
/// <param name="Encoder">How the watch history is read: the paper's mean, or causal self-attention.</param>
/// <param name="HistoryLength">History positions the attention encoder reads (the example builder's watch history).</param>
/// <param name="AttentionBlocks">Transformer blocks of the attention encoder.</param>
/// <param name="AttentionHeads">Attention heads per block (the embedding width must be a multiple).</param>
/// <param name="Dropout">Dropout on the encoder's embeddings and blocks and on the tower's input; 0 for none (the paper).</param>
/// <param name="SparseTables">Embedding tables with sparse gradients and row-wise optimisers (large corpora); false makes them ordinary parameters of the dense optimiser.</param>
/// <param name="TiedVideoTables">The attention encoder reads histories with the video vectors (the softmax weights) instead of a table of its own.</param>
public sealed record CandidateNetworkOptions(
    int Videos,
    int Tokens,
    int Regions,
    int Devices,
    int Languages,
    int EmbeddingDimension = 256,
    IReadOnlyList<int>? TowerWidths = null,
    int CategoryDimension = 16,
    OutputKind Output = OutputKind.DotProduct,
    FeatureSet? Features = null,
    HistoryEncoderKind Encoder = HistoryEncoderKind.Mean,
    int HistoryLength = 50,
    int AttentionBlocks = 2,
    int AttentionHeads = 1,
    double Dropout = 0,
    bool SparseTables = true,
    bool TiedVideoTables = false)
{
    /// <summary>The paper's depth-3 tower.</summary>
    public static readonly IReadOnlyList<int> PaperTower = [1024, 512, 256];

    /// <summary>Genders: unknown, female, male.</summary>
    public const int Genders = 3;

    /// <summary>The tower actually used.</summary>
    public IReadOnlyList<int> Tower => TowerWidths ?? PaperTower;

    /// <summary>The feature groups actually used.</summary>
    public FeatureSet Inputs => Features ?? FeatureSet.All;

    /// <summary>Width of the concatenated input to the tower.</summary>
    public int InputWidth =>
        EmbeddingDimension
        + (Inputs.Searches ? EmbeddingDimension : 0)
        + (Inputs.Demographics ? (3 * CategoryDimension) + CategoryDimension + 3 : 0)
        + (Inputs.ExampleAge ? 3 : 0);

    /// <summary>Fails with the offending values when the shape cannot be built.</summary>
    public CandidateNetworkOptions Validate()
    {
        if (Videos < 2 || Tokens < 1 || Regions < 1 || Devices < 1 || Languages < 1)
        {
            throw new ArgumentException($"vocabularies need ≥ 2 video rows and ≥ 1 row elsewhere; got videos {Videos}, tokens {Tokens}, regions {Regions}, devices {Devices}, languages {Languages}");
        }
        if (EmbeddingDimension < 1 || CategoryDimension < 1 || Tower.Any(w => w < 1))
        {
            throw new ArgumentException($"widths must be ≥ 1; got embedding {EmbeddingDimension}, category {CategoryDimension}, tower [{string.Join(", ", Tower)}]");
        }
        if (Encoder == HistoryEncoderKind.Attention && (HistoryLength < 1 || AttentionBlocks < 0 || AttentionHeads < 1 || EmbeddingDimension % AttentionHeads != 0))
        {
            throw new ArgumentException($"the attention encoder needs ≥ 1 history position, ≥ 0 blocks and a width divisible by its heads; got {HistoryLength} positions, {AttentionBlocks} blocks, {AttentionHeads} heads, width {EmbeddingDimension}");
        }
        if (TiedVideoTables && Encoder != HistoryEncoderKind.Attention)
        {
            throw new ArgumentException("tied video tables need the attention encoder: the averaged bag keeps its own table");
        }
        if (!(Dropout is >= 0 and < 1))
        {
            throw new ArgumentException($"dropout must be in [0, 1); got {Dropout}");
        }
        if (Tower.Count > 0 && Tower[^1] != EmbeddingDimension)
        {
            throw new ArgumentException($"the last tower width ({Tower[^1]}) must equal the embedding dimension ({EmbeddingDimension}): the user vector is dotted with video vectors");
        }
        return this;
    }

    /// <summary>The paper's tower of a given depth (0–4) for embedding dimension 256: 256, 512→256, 1024→512→256, 2048→1024→512→256.</summary>
    public static IReadOnlyList<int> PaperTowerOfDepth(int depth, int embeddingDimension = 256) =>
        depth is >= 0 and <= 4
            ? Enumerable.Range(0, depth).Select(i => embeddingDimension << (depth - 1 - i)).ToArray()
            : throw new ArgumentOutOfRangeException(nameof(depth), depth, "the paper's depths are 0 to 4");

    /// <summary>The network for a split's vocabularies and categories.</summary>
    public static CandidateNetworkOptions ForSplit(Funnel.Data.Examples.DataSplit split, NetworkShape shape)
    {
        var categories = split.Timelines.Categories;
        return new CandidateNetworkOptions(
            split.Videos.Rows,
            split.Tokens.Rows,
            categories.RegionNames.Length,
            categories.DeviceNames.Length,
            categories.LanguageNames.Length,
            shape.EmbeddingDimension,
            shape.Tower,
            shape.CategoryDimension,
            shape.Output,
            shape.Features,
            shape.Encoder,
            split.Options.MaxWatchHistory,
            shape.AttentionBlocks,
            shape.AttentionHeads,
            shape.Dropout,
            shape.SparseTables,
            shape.TiedVideoTables).Validate();
    }
}

/// <summary>The network's shape apart from its vocabulary sizes (which come from the data).</summary>
/// <param name="EmbeddingDimension">Width of embeddings and of u and v.</param>
/// <param name="Tower">ReLU layers ending at the embedding width; null for the paper's 1024→512→256.</param>
/// <param name="CategoryDimension">Width of demographic embeddings.</param>
/// <param name="Output">Dot product or tempered cosine.</param>
/// <param name="Features">Input feature groups; null for all.</param>
/// <param name="Encoder">The history encoder.</param>
/// <param name="AttentionBlocks">Blocks of the attention encoder.</param>
/// <param name="AttentionHeads">Heads per block.</param>
/// <param name="Dropout">Dropout rate (0: none).</param>
/// <param name="SparseTables">Sparse-gradient tables with row-wise optimisers, or ordinary dense parameters.</param>
/// <param name="TiedVideoTables">The attention encoder reads histories with the video vectors.</param>
public sealed record NetworkShape(
    int EmbeddingDimension = 256,
    IReadOnlyList<int>? Tower = null,
    int CategoryDimension = 16,
    OutputKind Output = OutputKind.DotProduct,
    FeatureSet? Features = null,
    HistoryEncoderKind Encoder = HistoryEncoderKind.Mean,
    int AttentionBlocks = 2,
    int AttentionHeads = 1,
    double Dropout = 0,
    bool SparseTables = true,
    bool TiedVideoTables = false);

using Funnel.Candidates.Batching;
using Funnel.Candidates.Optimizers;
using Funnel.Data.Examples;
using Funnel.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Funnel.Candidates.Model;

/// <summary>
/// The paper's candidate-generation network (Covington et al., Figure 3): averaged embeddings of
/// watched videos and search tokens, demographic embeddings and continuous features, concatenated
/// into a ReLU tower whose output is the user vector u; a separate video table v holds the softmax
/// weights, and a video's score for a user is u·v (or a tempered cosine). With
/// <see cref="HistoryEncoderKind.Attention"/> the watch history is read in order by causal
/// self-attention instead of averaged; the other inputs and the tower stay.
/// </summary>
/// <remarks>
/// Notation: B = batch size, D = embedding dimension, V = video vocabulary rows, C = candidates.
/// Row 0 of every table is the reserved unknown/out-of-vocabulary row; bags never contain it and
/// category embeddings keep it at zero (padding index).
/// </remarks>
public sealed class CandidateNetwork : Module<CandidateBatchTensors, Tensor>
{
    private readonly EmbeddingBag? watchedVideos;
    private readonly AttentionHistoryEncoder? historyEncoder;
    private readonly EmbeddingBag searchTokens;
    private readonly Embedding regions;
    private readonly Embedding devices;
    private readonly Embedding languages;
    private readonly Embedding genders;
    private readonly Sequential tower;
    private readonly Embedding videoVectors;
    private readonly Parameter logTemperature;
    private readonly ManagedDropout inputDropout;
    private EmbeddingLookupTape? tape;

    /// <summary>Builds the network with PyTorch's default initialisation, seeded by the caller's torch.manual_seed.</summary>
    public CandidateNetwork(CandidateNetworkOptions options)
        : base(nameof(CandidateNetwork))
    {
        Options = options.Validate();
        var d = options.EmbeddingDimension;
        // Sparse gradients: a step touches only the rows a batch used (see SparseRowOptimizer).
        var sparse = options.SparseTables;
        if (options.Encoder == HistoryEncoderKind.Mean)
        {
            watchedVideos = EmbeddingBag(options.Videos, d, mode: EmbeddingBagMode.Mean, sparse: sparse);
        }
        searchTokens = EmbeddingBag(options.Tokens, d, mode: EmbeddingBagMode.Mean, sparse: sparse);
        regions = Embedding(options.Regions, options.CategoryDimension, padding_idx: 0);
        devices = Embedding(options.Devices, options.CategoryDimension, padding_idx: 0);
        languages = Embedding(options.Languages, options.CategoryDimension, padding_idx: 0);
        genders = Embedding(CandidateNetworkOptions.Genders, options.CategoryDimension, padding_idx: 0);
        tower = BuildTower(options);
        videoVectors = Embedding(options.Videos, d, sparse: sparse);
        if (options.Encoder == HistoryEncoderKind.Attention)
        {
            historyEncoder = new AttentionHistoryEncoder(options.Videos, d, options.HistoryLength, options.AttentionBlocks, options.AttentionHeads, options.Dropout, sparse, options.TiedVideoTables ? videoVectors : null);
        }
        inputDropout = new ManagedDropout(options.Dropout);
        logTemperature = Parameter(torch.tensor(options.Output == OutputKind.Cosine ? MathF.Log(10f) : 0f), requires_grad: options.Output == OutputKind.Cosine);
        using (no_grad())
        {
            // Small initial vectors keep initial logits near zero (a near-uniform softmax).
            watchedVideos?.weight!.normal_(0, 0.05);
            searchTokens.weight!.normal_(0, 0.05);
            videoVectors.weight!.normal_(0, 0.05);
        }
        RegisterComponents();
    }

    /// <summary>The shape the network was built with.</summary>
    public CandidateNetworkOptions Options { get; }

    /// <summary>The video table: the softmax weights, and the vectors the retrieval index serves. [V, D]</summary>
    public Parameter VideoTable => videoVectors.weight!;

    /// <summary>The embedding tables trained with sparse row updates (none when the tables are dense).</summary>
    public IEnumerable<Parameter> SparseParameters => !Options.SparseTables ? []
        : Options.TiedVideoTables ? [searchTokens.weight!, videoVectors.weight!]
        : [WatchTable, searchTokens.weight!, videoVectors.weight!];

    /// <summary>The input table of watched videos: the bag's, the attention encoder's items, or (tied) the video vectors. [V, D]</summary>
    private Parameter WatchTable => watchedVideos?.weight ?? historyEncoder!.ItemTable ?? videoVectors.weight!;

    /// <summary>Every other trainable parameter (tower, category embeddings, temperature).</summary>
    /// <remarks>
    /// Told apart by the sparse modules' registered names: TorchSharp hands out a new wrapper (and
    /// handle) for the same tensor each time, so parameters cannot be compared by reference.
    /// </remarks>
    public IEnumerable<Parameter> DenseParameters
    {
        get
        {
            Module[] sparseModules = Options.SparseTables ? [.. new[] { (Module?)watchedVideos ?? historyEncoder!.ItemModule, searchTokens, videoVectors }.OfType<Module>()] : [];
            var prefixes = named_modules().Where(m => sparseModules.Any(s => ReferenceEquals(s, m.module))).Select(m => m.name + ".").ToArray();
            return named_parameters()
                .Where(p => p.parameter.requires_grad && !prefixes.Any(prefix => p.name.StartsWith(prefix, StringComparison.Ordinal)))
                .Select(p => p.parameter)
                .ToList();
        }
    }

    /// <summary>
    /// Starts from pre-trained tables: video contexts for the watch bag, video targets for the output
    /// vectors (with tied tables, the one table starts from the targets), token contexts for the
    /// search bag (shapes must match the network's).
    /// </summary>
    public void InitialiseTables(Tensor videoContexts, Tensor videoTargets, Tensor tokenContexts)
    {
        using var _ = no_grad();
        WatchTable.copy_(videoContexts);
        videoVectors.weight!.copy_(videoTargets);
        searchTokens.weight!.copy_(tokenContexts);
    }

    /// <summary>
    /// Reads the sparse tables through <paramref name="lookups"/> until called with null: a
    /// training step's table gradients then reach its row optimisers through the tape, not autograd.
    /// </summary>
    public void RecordLookups(EmbeddingLookupTape? lookups)
    {
        tape = Options.SparseTables ? lookups : null;
        if (historyEncoder is not null)
        {
            historyEncoder.Tape = tape;
        }
    }

    /// <summary>The user vectors u of a batch. [B, D] (unit length for the cosine output).</summary>
    public override Tensor forward(CandidateBatchTensors batch)
    {
        using var scope = NewDisposeScope();
        var inputs = new List<Tensor> { History(batch) };
        if (Options.Inputs.Searches)
        {
            inputs.Add(tape is null ? searchTokens.forward(batch.TokenRows, batch.TokenOffsets, null) : tape.MeanBags(searchTokens, batch.TokenRows, batch.TokenOffsets));
        }
        if (Options.Inputs.Demographics)
        {
            inputs.Add(regions.forward(batch.Regions));
            inputs.Add(devices.forward(batch.Devices));
            inputs.Add(languages.forward(batch.Languages));
            inputs.Add(genders.forward(batch.Genders));
            inputs.Add(batch.Dense.narrow(1, 0, 3));
        }
        if (Options.Inputs.ExampleAge)
        {
            inputs.Add(batch.Dense.narrow(1, 3, 3));
        }
        var user = tower.forward(inputDropout.forward(cat(inputs, dim: 1)));
        if (Options.Output == OutputKind.Cosine)
        {
            user = functional.normalize(user, dim: 1);
        }
        return user.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The history vectors [B, D]: the bag's average; the attention encoder's newest position; or,
    /// for a batch of sequence windows, the encoder's output at each example's position of its window
    /// (one pass trains every position; an empty history is the zero vector, as in the other paths).
    /// </summary>
    private Tensor History(CandidateBatchTensors batch)
    {
        if (historyEncoder is null)
        {
            return batch.Windows is not null
                ? throw new ArgumentException("the averaged bag reads each example's own watch bag, not sequence windows")
                : tape is null ? watchedVideos!.forward(batch.WatchRows, batch.WatchOffsets, null) : tape.MeanBags(watchedVideos!, batch.WatchRows, batch.WatchOffsets);
        }
        if (batch.Windows is null)
        {
            return historyEncoder.Encode(batch.WatchSequence);
        }
        using var scope = NewDisposeScope();
        var outputs = historyEncoder.forward(batch.Windows).flatten(0, 1);
        var withEmpty = cat([zeros(1, outputs.shape[1], device: outputs.device), outputs], dim: 0);
        return withEmpty.index_select(0, batch.HistoryPositions!.add(RootedScalars.OneInt64, RootedScalars.One)).MoveToOuterDisposeScope();
    }

    /// <summary>The attention encoder's output at every history position, for inspection and tests (eval mode). [B, L] → [B, L, D]</summary>
    public Tensor HistoryOutputs(Tensor sequence)
    {
        eval();
        using var _ = no_grad();
        return (historyEncoder ?? throw new InvalidOperationException("the network averages its history: it has no positions")).forward(sequence);
    }

    /// <summary>The user vectors of a batch for inference (eval mode, no autograd). [batch.Count × D], row-major.</summary>
    public float[] UserVectors(CandidateBatch batch)
    {
        eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var tensors = CandidateBatchTensors.From(batch);
        return forward(tensors).contiguous().data<float>().ToArray();
    }

    /// <summary>Scores of every user against candidate video rows: u·v, or temperature·cos. [B, C]</summary>
    public Tensor Score(Tensor users, Tensor candidateRows)
    {
        using var scope = NewDisposeScope();
        return matmul(users, CandidateVectors(candidateRows).t()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The candidates' side of <see cref="Score"/>: the rows' vectors as the user vectors are
    /// multiplied with them (for the cosine output, unit length times the temperature). [C, D]
    /// </summary>
    public Tensor CandidateVectors(Tensor candidateRows)
    {
        using var scope = NewDisposeScope();
        var candidates = tape is null ? videoVectors.forward(candidateRows) : tape.Rows(videoVectors, candidateRows);
        return (Options.Output == OutputKind.Cosine ? functional.normalize(candidates, dim: 1) * logTemperature.exp() : candidates).MoveToOuterDisposeScope();
    }

    /// <summary>The video vectors as the index should hold them: raw for dot product, unit length for cosine. [V, D]</summary>
    public Tensor ServingVideoVectors()
    {
        using var _ = no_grad();
        var table = videoVectors.weight!.detach();
        return Options.Output == OutputKind.Cosine ? functional.normalize(table, dim: 1) : table.clone();
    }

    /// <summary>Some rows of <see cref="ServingVideoVectors()"/>, flattened: what a source outside the index needs to score its videos as the index would. [rows × D]</summary>
    public float[] ServingVideoVectors(IReadOnlyList<long> rows)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var table = videoVectors.weight!.detach().index_select(0, tensor(rows.ToArray()));
        return (Options.Output == OutputKind.Cosine ? functional.normalize(table, dim: 1) : table).data<float>().ToArray();
    }

    /// <summary>
    /// The paper's tower: every layer Linear + ReLU, the last one's output is u. Depth 0 is a single
    /// linear layer (a linear factorisation). u is non-negative, but v is not, so u·v is unrestricted.
    /// </summary>
    private static Sequential BuildTower(CandidateNetworkOptions options)
    {
        if (options.Tower.Count == 0)
        {
            return Sequential(("linear", Linear(options.InputWidth, options.EmbeddingDimension)));
        }
        return ReluTower.Build(options.InputWidth, options.Tower);
    }
}

using Funnel.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Funnel.Ranking.Model;

/// <summary>
/// The paper's ranking network (Covington et al., Figure 7): embeddings of the impression video, the
/// average of the last watched videos (one shared video table), channel, user and video language
/// (one shared language table), device and region, concatenated with the normalised continuous
/// features and their powers, through a ReLU tower to one logit. Trained by weighted logistic
/// regression, e^logit approximates the expected watch time of the impression.
/// </summary>
/// <remarks>
/// Row 0 of every table is the out-of-vocabulary row, kept at zero (padding index): an unknown ID
/// contributes nothing, and in the watch bag it is left out of the average.
/// </remarks>
public sealed class RankingNetwork : Module<RankingBatchTensors, Tensor>
{
    private readonly Embedding videos;
    private readonly Embedding channels;
    private readonly Embedding languages;
    private readonly Embedding devices;
    private readonly Embedding regions;
    private readonly Sequential tower;
    private readonly Linear logit;

    /// <summary>Builds the network, initialised from the caller's torch.manual_seed.</summary>
    public RankingNetwork(RankingNetworkOptions options)
        : base(nameof(RankingNetwork))
    {
        Options = options.Validate();
        videos = Embedding(options.VideoRows, options.VideoWidth, padding_idx: 0);
        channels = Embedding(options.ChannelRows, options.ChannelWidth, padding_idx: 0);
        languages = Embedding(options.LanguageRows, options.LanguageWidth, padding_idx: 0);
        devices = Embedding(options.DeviceRows, options.DeviceWidth, padding_idx: 0);
        regions = Embedding(options.RegionRows, options.RegionWidth, padding_idx: 0);
        tower = ReluTower.Build(options.InputWidth, options.Tower);
        logit = Linear(options.Tower.Count > 0 ? options.Tower[^1] : options.InputWidth, 1);
        using (no_grad())
        {
            // Small embeddings: N(0, 1) rows would swamp the [0, 1) continuous inputs at the start.
            foreach (var table in new[] { videos, channels, languages, devices, regions })
            {
                table.weight!.normal_(0, 0.05);
                table.weight![0].zero_();
            }
        }
        RegisterComponents();
    }

    /// <summary>The shape the network was built with.</summary>
    public RankingNetworkOptions Options { get; }

    /// <summary>The logits of a batch, [B]: log-odds of a click, or of expected watch time when trained weighted.</summary>
    public override Tensor forward(RankingBatchTensors batch)
    {
        using var scope = NewDisposeScope();
        // Mean over the known watches: padding and out-of-vocabulary rows are zero and not counted.
        var known = batch.Watched.ne(RootedScalars.ZeroInt64).sum(1, keepdim: true).clamp_min(RootedScalars.OneInt64).to(float32);
        var bags = videos.forward(batch.Watched).sum(1) / known;
        var inputs = new List<Tensor>
        {
            videos.forward(batch.Video),
            batch.WatchedBag is null ? bags : bags.index_select(0, batch.WatchedBag),
            channels.forward(batch.Channel),
            languages.forward(batch.UserLanguage),
            languages.forward(batch.VideoLanguage),
            devices.forward(batch.Device),
            regions.forward(batch.Region),
            Options.Powers ? batch.Dense : batch.Dense.narrow(1, 0, Options.ContinuousFeatures),
        };
        return logit.forward(tower.forward(cat(inputs, dim: 1))).squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>Logits of an encoded set's rows for inference (eval mode, no autograd).</summary>
    public float[] Score(Features.EncodedImpressions set, ReadOnlySpan<int> rows)
    {
        eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var batch = RankingBatchTensors.ForScoring(set, rows);
        return forward(batch).contiguous().data<float>().ToArray();
    }
}

using Funnel.Ranking.Features;
using Funnel.Ranking.Model;

namespace Funnel.Ranking.Inference;

/// <summary>
/// A trained ranker as serving uses it: candidate impressions in external terms in, expected watch
/// time out. Encoding goes through the saved <see cref="RankingFeatureSpace"/>, so an impression is
/// encoded exactly as in training; unknown IDs fall to the zero row.
/// </summary>
public sealed class RankingModel : IDisposable
{
    private RankingModel(RankingManifest manifest, RankingFeatureSpace space, RankingNetwork network)
    {
        Manifest = manifest;
        Space = space;
        Network = network;
    }

    /// <summary>The stage's manifest.</summary>
    public RankingManifest Manifest { get; }

    /// <summary>Vocabularies and normalisers.</summary>
    public RankingFeatureSpace Space { get; }

    /// <summary>The network (eval mode).</summary>
    public RankingNetwork Network { get; }

    /// <summary>Loads the ranking stage of a model folder; errors name the file and what is wrong.</summary>
    public static RankingModel Load(string folder)
    {
        var (manifest, space) = RankingModelFolder.ReadStage(folder);
        return new RankingModel(manifest, space, RankingModelFolder.LoadNetwork(folder, manifest));
    }

    /// <summary>The logits of the candidates, one batch: log of expected watch time for the watch-time-weighted ranker.</summary>
    public float[] Logits(IReadOnlyList<RankingInput> candidates)
    {
        if (candidates.Count == 0)
        {
            return [];
        }
        var encoded = Space.Encode(candidates);
        return Network.Score(encoded, Enumerable.Range(0, encoded.Count).ToArray());
    }

    /// <summary>Expected watch seconds of each candidate: e^logit (the odds of weighted logistic regression).</summary>
    public float[] ExpectedWatchSeconds(IReadOnlyList<RankingInput> candidates) =>
        [.. Logits(candidates).Select(MathF.Exp)];

    /// <inheritdoc />
    public void Dispose() => Network.Dispose();
}

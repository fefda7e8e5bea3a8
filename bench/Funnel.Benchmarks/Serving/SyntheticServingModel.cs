using System.Globalization;
using Funnel.Benchmarks.Training;
using Funnel.Candidates.Inference;
using Funnel.Candidates.Model;
using Funnel.Candidates.Training;
using Funnel.Data.Examples;
using Funnel.Data.Model;
using Funnel.Evaluation.Ranking;
using Funnel.Ranking.Features;
using Funnel.Ranking.Inference;
using Funnel.Ranking.Model;
using Funnel.Ranking.Sources;
using Funnel.Ranking.Training;
using Funnel.Retrieval;
using Funnel.Retrieval.Hnsw;
using static TorchSharp.torch;

namespace Funnel.Benchmarks.Serving;

/// <summary>
/// A model folder of a given corpus size for serving benchmarks, with untrained networks: the
/// paper's candidate network (256-d, 1024→512→256) over N videos with its index, and a ranker
/// (one layer of 256) over a synthetic catalogue of the N videos. Serving does the same work per
/// request whatever the weights; the index's build time and recall depend on them, so the video
/// vectors are given the structure trained ones have (see <see cref="ModelLikeVideoVectors"/>).
/// </summary>
public static class SyntheticServingModel
{
    /// <summary>
    /// Writes the folder (candidates, index, ranker, catalogue); an HNSW build dominates (about 20
    /// minutes per million videos on 2 cores; an inverted file takes seconds). <paramref name="output"/>:
    /// the paper's dot product (an angular graph searched by inner product) or the tempered cosine
    /// (a cosine index); <paramref name="index"/>: HNSW or IVF; <paramref name="precision"/>: how a
    /// graph stores vectors.
    /// </summary>
    public static void Write(string folder, int videos, Action<string> log, OutputKind output = OutputKind.DotProduct, IndexKind index = IndexKind.Hnsw, VectorPrecision precision = VectorPrecision.F32)
    {
        manual_seed(1);
        var random = new Random(1);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        string[] languages = ["en", "de", "fr", "es", "ja", "pt"];
        var catalogue = Enumerable.Range(0, videos).Select(v => new Video(
            Id(v),
            $"c{v % 20_000}",
            start - random.Next(180 * 86_400),
            60 + random.Next(1_800),
            languages[random.Next(languages.Length)],
            "",
            $"t{v % 64}")).ToArray();

        var shape = TrainingBenchmarkOptions.PaperNetwork(videos) with { Output = output };
        using (var network = new CandidateNetwork(shape))
        {
            using (var vectors = ModelLikeVideoVectors(shape.Videos, shape.EmbeddingDimension))
            using (var tokens = randn(shape.Tokens, shape.EmbeddingDimension) * 0.05f)
            {
                network.InitialiseTables(vectors, vectors, tokens);
            }
            PassWatchAverage(network, shape.EmbeddingDimension);
            var manifest = new CandidateModelManifest(
                CandidateModelManifest.CurrentFormatVersion, DateTimeOffset.UtcNow, $"synthetic-{videos}", "", new SplitOptions(), new ExampleOptions(), shape, new CandidateTrainingOptions(Epochs: 0),
                $"SYNTHETIC{videos}", [shape.Videos, shape.EmbeddingDimension], [], 0, []);
            log($"synthetic model: writing a {videos:N0}-video candidate network ({output} output) and building its {(index == IndexKind.Hnsw ? $"{precision} HNSW" : index.ToString())} index");
            CandidateModelFolder.Save(
                folder,
                network,
                ["", .. catalogue.Select(v => v.Id)],
                ["", .. Enumerable.Range(1, shape.Tokens - 1).Select(t => $"w{t}")],
                new CategoryNames(Names("r", shape.Regions), Names("d", shape.Devices), ["", .. languages.Take(shape.Languages - 1)]),
                manifest,
                index,
                new HnswOptions(Precision: precision));
            var candidateVersion = manifest.VersionTag();

            var space = new RankingFeatureSpace(
                new RankingVocabulary("videos", [.. catalogue.Take(100_000).Select(v => v.Id)]),
                new RankingVocabulary("channels", [.. Enumerable.Range(0, 20_000).Select(c => $"c{c}")]),
                new RankingVocabulary("languages", languages),
                new RankingVocabulary("devices", Names("d", shape.Devices).Skip(1).ToArray()),
                new RankingVocabulary("regions", Names("r", shape.Regions).Skip(1).ToArray()),
                ContinuousFeatures.All,
                [.. ContinuousFeatures.All.Select(f => QuantileNormalizer.Fit(ContinuousFeatures.Name(f), [.. Enumerable.Range(0, 10_000).Select(_ => random.NextDouble() * 1e5)]))]);
            var rankerShape = RankingData.Shape(space, [256]);
            using var ranker = new RankingNetwork(rankerShape);
            var rankingManifest = new RankingManifest(
                RankingManifest.CurrentFormatVersion, DateTimeOffset.UtcNow, $"synthetic-{videos}", "", 0.1, DateTimeOffset.FromUnixTimeSeconds(start), candidateVersion,
                rankerShape, new RankingTrainingOptions(), [.. space.Features.Select(ContinuousFeatures.Name)], [.. space.Normalizers.Select(n => new SavedNormalizer(n.Feature, n.Boundaries))],
                RankingModelFolder.Vocabularies(space), [], Array.Empty<RankingMetric>());
            RankingModelFolder.Save(folder, ranker, space, rankingManifest, catalogue, [.. catalogue.Take(RankingData.PopularVideos).Select(v => v.Id)], SourceTables.Empty);
        }
        log($"synthetic model: {folder} written");
    }

    /// <summary>
    /// Video vectors clustered as trained ones are rather than isotropic noise (over which an HNSW
    /// graph of 1M × 256 did not finish building in 30 minutes on 2 cores): row r is video r − 1,
    /// the sum of its topic's direction (the catalogue's t{v % 64}), its channel's (c{v % 20,000})
    /// at half weight and its own at half weight, scaled by a log-normal popularity-like norm.
    /// </summary>
    private static Tensor ModelLikeVideoVectors(int rows, int dimension)
    {
        using var scope = NewDisposeScope();
        var video = arange(rows - 1, ScalarType.Int64);
        var topics = randn(64, dimension)[video.remainder(64L)];
        var channels = randn(20_000, dimension)[video.remainder(20_000L)];
        var own = randn(rows - 1, dimension);
        var norms = (randn(rows - 1, 1) * 0.3f).exp_();
        var vectors = (topics + (channels * 0.5f) + (own * 0.5f)) * norms * 0.05f;
        return cat([zeros(1, dimension), vectors]).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Sets the untrained tower to carry the watch average through (its positive part: the last
    /// layer is a ReLU), with the random weights kept at a hundredth: the user vector then points
    /// where a trained one does, at videos like those watched. A random tower's user vectors lie
    /// away from every video vector, and HNSW loses recall on such queries (docs/benchmarks.md), so
    /// a recall measured with them would say nothing about a trained model's.
    /// </summary>
    private static void PassWatchAverage(CandidateNetwork network, int dimension)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var layers = network.named_parameters().Where(p => p.name.StartsWith("tower.", StringComparison.Ordinal)).ToDictionary(p => p.name, p => p.parameter);
        var weights = Enumerable.Range(0, 3).Select(i => layers.GetValueOrDefault($"tower.hidden{i}.weight") ?? throw new InvalidOperationException($"the synthetic model expects the paper's three-layer tower; tower.hidden{i}.weight is missing")).ToArray();
        var widths = weights.Select(w => w.shape[0]).ToArray();
        if (widths[0] < 2 * dimension || widths[1] < 2 * dimension || widths[2] != dimension)
        {
            throw new InvalidOperationException($"the synthetic model's tower ({string.Join("→", widths)}) cannot carry {dimension}-d watch averages");
        }
        foreach (var (name, parameter) in layers)
        {
            parameter.mul_(name.EndsWith(".bias", StringComparison.Ordinal) ? 0f : 0.01f);
        }
        var identity = eye(dimension);
        // x ↦ [x, −x] (ReLU keeps x⁺ and x⁻), carried through, then x⁺ − x⁻ = x before the last ReLU.
        weights[0].narrow(0, 0, dimension).narrow(1, 0, dimension).add_(identity);
        weights[0].narrow(0, dimension, dimension).narrow(1, 0, dimension).sub_(identity);
        weights[1].narrow(0, 0, 2 * dimension).narrow(1, 0, 2 * dimension).add_(eye(2 * dimension));
        weights[2].narrow(1, 0, dimension).add_(identity);
        weights[2].narrow(1, dimension, dimension).sub_(identity);
    }

    private static string Id(int video) => "v" + video.ToString(CultureInfo.InvariantCulture);

    private static string[] Names(string prefix, int rows) => ["", .. Enumerable.Range(1, rows - 1).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture))];
}

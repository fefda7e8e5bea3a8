using Funnel.Candidates.Pretraining;
using Funnel.Candidates.Softmax;
using Funnel.Candidates.Training;
using static TorchSharp.torch;

namespace Funnel.Candidates.Tests.Pretraining;

public sealed class CbowPretrainerTests(TinyWorld world) : IClassFixture<TinyWorld>
{
    [Fact]
    public void Videos_watched_in_the_same_contexts_end_up_close()
    {
        var split = world.Split;
        using var tables = CbowPretrainer.Videos(split, dimension: 16, epochs: 3, seed: 1);
        // The 150 most frequent videos (rows 1..150) and their topic labels from the catalogue.
        var topics = Enumerable.Range(1, 150).Select(row => split.Timelines.Videos[split.Videos.KeyOf(row)].Topics).ToArray();
        // Centred first: CBOW vectors share a common direction that says nothing about topics.
        using var raw = tables.Contexts.narrow(0, 1, 150);
        using var vectors = nn.functional.normalize(raw - raw.mean([0], keepdim: true), dim: 1);
        var similarity = matmul(vectors, vectors.t()).data<float>().ToArray();
        double same = 0, different = 0;
        int sameCount = 0, differentCount = 0;
        for (var i = 0; i < 150; i++)
        {
            for (var j = i + 1; j < 150; j++)
            {
                if (topics[i] == topics[j])
                {
                    same += similarity[(i * 150) + j];
                    sameCount++;
                }
                else
                {
                    different += similarity[(i * 150) + j];
                    differentCount++;
                }
            }
        }

        Assert.True(same / sameCount > (different / differentCount) + 0.1, $"mean cosine: same topic {same / sameCount:F3}, different topics {different / differentCount:F3}");
    }

    [Fact]
    public void A_pretrained_run_is_reproducible_and_starts_elsewhere()
    {
        var options = new CandidateTrainingOptions(Epochs: 1, BatchSize: 128, Softmax: new SampledSoftmaxOptions(Negatives: 64), ValidationQueries: 100, PretrainCbowEpochs: 1);
        using var first = new CandidateTrainer(world.Split, world.Network, options);
        using var second = new CandidateTrainer(world.Split, world.Network, options);
        using var plain = new CandidateTrainer(world.Split, world.Network, options with { PretrainCbowEpochs = 0 });

        var a = first.Train();
        var b = second.Train();
        var c = plain.Train();

        Assert.Equal(a[0].Loss, b[0].Loss);
        Assert.NotEqual(a[0].Loss, c[0].Loss);
    }
}

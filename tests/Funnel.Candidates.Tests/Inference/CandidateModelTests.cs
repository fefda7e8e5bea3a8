using Funnel.Candidates.Batching;
using Funnel.Candidates.Inference;
using Funnel.Candidates.Model;
using Funnel.Candidates.Softmax;
using Funnel.Candidates.Training;
using Funnel.Data.Examples;
using Funnel.Runs.Candidates;
using static TorchSharp.torch;

namespace Funnel.Candidates.Tests.Inference;

public sealed class CandidateModelTests(TinyWorld world) : IClassFixture<TinyWorld>
{
    [Fact]
    public async Task User_vectors_from_raw_histories_equal_the_training_paths()
    {
        var folder = Directory.CreateTempSubdirectory("funnel-model-").FullName;
        try
        {
            await CandidateTrainingRun.RunAsync(
                world.DatasetPath,
                folder,
                new SplitOptions(),
                new ExampleOptions(),
                new NetworkShape(16, [32, 16], CategoryDimension: 4),
                new CandidateTrainingOptions(Epochs: 1, BatchSize: 128, Softmax: new SampledSoftmaxOptions(Negatives: 64), ValidationQueries: 100));
            using var model = CandidateModel.Load(folder);
            var split = world.Split;
            int[] queries = [0, 1, 2, 3, 4, 5, 6, 7];

            // The training path: the split's own batch for these test queries.
            var batch = new CandidateBatch(queries.Length);
            new CandidateBatchBuilder(split).FillQueries(split.Test, queries, batch);
            using var tensors = CandidateBatchTensors.From(batch);
            float[] expected;
            using (no_grad())
            {
                expected = model.Network.forward(tensors).data<float>().ToArray();
            }

            // The serving path: external ids and query text only.
            var actual = model.UserVectors([.. queries.Select(q => RawHistory(split, q))]);

            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], actual[i], 5);
            }

            // The saved index answers for this model, with its nearest video first.
            using var index = CandidateModelFolder.LoadIndex(folder, model.Manifest);
            var dimensions = model.Manifest.Network.EmbeddingDimension;
            var top = index.Search(actual.AsSpan(0, dimensions), 5);
            using (no_grad())
            {
                var scores = model.Network.Score(tensor(actual[..dimensions]).unsqueeze(0), arange(1, model.Manifest.Network.Videos, dtype: ScalarType.Int64));
                Assert.Equal(scores.argmax().item<long>() + 1, top[0].Key);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void An_incomplete_model_folder_is_reported_by_file()
    {
        var folder = Directory.CreateTempSubdirectory("funnel-empty-").FullName;
        try
        {
            var error = Assert.Throws<Funnel.Core.DataFormatException>(() => CandidateModel.Load(folder));

            Assert.EndsWith("model.json", error.File, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A test query's user as serving would see them: watched ids, typed queries, demographics.</summary>
    private static UserHistory RawHistory(DataSplit split, int query)
    {
        var timelines = split.Timelines;
        var user = split.Test.User[query];
        var watched = new List<string>();
        for (var w = timelines.WatchStart[user]; w < split.Test.HistoryEnd[query]; w++)
        {
            watched.Add(timelines.Videos[timelines.WatchVideo[w]].Id);
        }
        var searches = new List<string>();
        for (var s = timelines.SearchStart[user]; s < split.Test.SearchEnd[query]; s++)
        {
            // A query's unigrams, joined, tokenise back to the same unigrams and bigrams.
            var unigrams = Enumerable.Range(timelines.SearchTokenStart[s], timelines.SearchTokenStart[s + 1] - timelines.SearchTokenStart[s])
                .Select(t => timelines.TokenNames[timelines.SearchTokens[t]])
                .Where(token => !token.Contains(' ', StringComparison.Ordinal));
            searches.Add(string.Join(' ', unigrams));
        }
        var person = timelines.Users[user];
        return new UserHistory(watched, searches, person.Region, person.Device, person.Language, (int)person.Gender, person.Age);
    }
}

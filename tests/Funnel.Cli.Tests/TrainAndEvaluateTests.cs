using System.Text.Json;

namespace Funnel.Cli.Tests;

[Trait(TestSpeed.Category, TestSpeed.Slow)]
public sealed class TrainAndEvaluateTests
{
    [Fact]
    public async Task Trains_a_model_folder_evaluates_it_against_baselines_and_resumes()
    {
        using var temp = new TempFolder();
        await FunnelProcess.RunAsync("synth", "--out", temp.Combine("world"), "--users", "300", "--videos", "800", "--days", "10", "--seed", "2");
        string[] train = ["train", "candidates", "--data", temp.Combine("world"), "--out", temp.Combine("model"), "--epochs", "2", "--dim", "16", "--tower", "32,16", "--negatives", "64", "--batch", "128", "--json"];

        var trained = await FunnelProcess.RunAsync(train);
        var evaluated = await FunnelProcess.RunAsync("evaluate", "--data", temp.Combine("world"), "--model", temp.Combine("model"), "--k", "10,50", "--json");
        var throughIndexes = await FunnelProcess.RunAsync("evaluate", "--data", temp.Combine("world"), "--model", temp.Combine("model"), "--k", "10,50", "--index", "exact,hnsw", "--json");
        var withoutEase = await FunnelProcess.RunAsync("evaluate", "--data", temp.Combine("world"), "--model", temp.Combine("model"), "--k", "10", "--baselines", "popularity", "--json");
        var badBaseline = await FunnelProcess.RunAsync("evaluate", "--data", temp.Combine("world"), "--model", temp.Combine("model"), "--baselines", "knn");
        var resumed = await FunnelProcess.RunAsync(train);

        Assert.Equal(0, trained.ExitCode);
        Assert.Equal(2, trained.Json().GetProperty("history").GetArrayLength());
        foreach (var file in new[] { "model.json", "candidates/network.bin", "candidates/video-vectors.f32", "candidates/videos.txt", "candidates/index/index.json", "training/curve.png", "training/curve.csv" })
        {
            Assert.True(File.Exists(temp.Combine("model/" + file)), file);
        }
        Assert.Equal(0, evaluated.ExitCode);
        var models = evaluated.Json().GetProperty("results").EnumerateArray().Select(r => r.GetProperty("model").GetString()).Distinct();
        Assert.Equal(["funnel", "popularity", "itemknn", "ease"], models);
        // Coverage, novelty and diversity of the same lists, per model, beside the accuracy metrics.
        var beyond = evaluated.Json().GetProperty("beyond_accuracy").EnumerateArray().ToList();
        Assert.Equal(["funnel", "popularity", "itemknn", "ease"], beyond.Select(r => r.GetProperty("model").GetString()).Distinct());
        Assert.Equal(["coverage", "novelty", "diversity"], beyond.Select(r => r.GetProperty("metric").GetString()).Distinct());
        Assert.True(beyond.Single(r => r.GetProperty("model").GetString() == "funnel" && r.GetProperty("metric").GetString() == "coverage" && r.GetProperty("k").GetInt32() == 50).GetProperty("value").GetDouble()
            > beyond.Single(r => r.GetProperty("model").GetString() == "popularity" && r.GetProperty("metric").GetString() == "coverage" && r.GetProperty("k").GetInt32() == 50).GetProperty("value").GetDouble());
        Assert.Equal(0, withoutEase.ExitCode);
        Assert.Equal(["funnel", "popularity"], withoutEase.Json().GetProperty("results").EnumerateArray().Select(r => r.GetProperty("model").GetString()).Distinct());
        Assert.Equal(JsonValueKind.Null, withoutEase.Json().GetProperty("ease_lambda").ValueKind);
        Assert.Equal(2, badBaseline.ExitCode);
        Assert.Contains("--baselines: unknown baseline 'knn'", badBaseline.Stderr, StringComparison.Ordinal);
        // Through the exact index the model ranks as when every video is scored; HNSW finds its top K.
        Assert.Equal(0, throughIndexes.ExitCode);
        var results = throughIndexes.Json().GetProperty("results").EnumerateArray().ToList();
        double Value(string model, string metric, int k) => results.Single(r => r.GetProperty("model").GetString() == model && r.GetProperty("metric").GetString() == metric && r.GetProperty("k").GetInt32() == k).GetProperty("value").GetDouble();
        Assert.Equal(Value("funnel", "recall", 50), Value("funnel-exact", "recall", 50), 6);
        Assert.Equal(1.0, Value("funnel-exact", "index_recall", 50), 6);
        Assert.True(Value("funnel-hnsw", "index_recall", 50) >= 0.95, $"HNSW index recall@50 {Value("funnel-hnsw", "index_recall", 50):F3}");
        Assert.Equal(0, resumed.ExitCode);
        Assert.DoesNotContain("step", resumed.Stderr, StringComparison.Ordinal);
        Assert.Equal(trained.Json().GetProperty("results").ToString(), resumed.Json().GetProperty("results").ToString());
    }

    [Fact]
    public async Task Evaluating_on_other_data_or_another_split_is_refused()
    {
        using var temp = new TempFolder();
        await FunnelProcess.RunAsync("synth", "--out", temp.Combine("world"), "--users", "200", "--videos", "500", "--days", "8", "--seed", "2");
        await FunnelProcess.RunAsync("synth", "--out", temp.Combine("other"), "--users", "200", "--videos", "500", "--days", "8", "--seed", "3");
        await FunnelProcess.RunAsync("train", "candidates", "--data", temp.Combine("world"), "--out", temp.Combine("model"), "--epochs", "1", "--dim", "8", "--tower", "8", "--negatives", "32", "--batch", "64", "--index", "hnsw");

        var otherData = await FunnelProcess.RunAsync("evaluate", "--data", temp.Combine("other"), "--model", temp.Combine("model"));
        var otherSplit = await FunnelProcess.RunAsync("evaluate", "--data", temp.Combine("world"), "--model", temp.Combine("model"), "--split", "leave-last-out");

        Assert.Equal(2, otherData.ExitCode);
        Assert.Contains("is not the data", otherData.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, otherSplit.ExitCode);
        Assert.Contains("was trained on a temporal split", otherSplit.Stderr, StringComparison.Ordinal);
        // --index hnsw overrides the automatic choice (exact for so few videos).
        Assert.Contains("\"kind\": \"hnsw\"", File.ReadAllText(temp.Combine("model/candidates/index/index.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ablation_trains_every_depth_and_feature_set_and_writes_its_report()
    {
        using var temp = new TempFolder();
        await FunnelProcess.RunAsync("synth", "--out", temp.Combine("world"), "--users", "150", "--videos", "400", "--days", "6", "--seed", "4");
        await FunnelProcess.RunAsync("train", "candidates", "--data", temp.Combine("world"), "--out", temp.Combine("model"), "--epochs", "1", "--dim", "8", "--tower", "8", "--negatives", "32", "--batch", "64", "--index", "hnsw");

        var result = await FunnelProcess.RunAsync("evaluate", "--data", temp.Combine("world"), "--model", temp.Combine("model"), "--ablation", "--ablation-epochs", "1", "--k", "20", "--json");

        Assert.Equal(0, result.ExitCode);
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(21, rows.Count);
        Assert.Equal(5, rows.Where(r => r.GetProperty("features").GetString() == "watches").Select(r => r.GetProperty("depth").GetInt32()).Distinct().Count());
        Assert.Single(rows, r => r.GetProperty("output").GetString() == "cosine");
        foreach (var file in new[] { "ablation.md", "ablation.json", "ablation.png" })
        {
            Assert.True(File.Exists(temp.Combine("model/ablation/" + file)), file);
        }
    }

    [Fact]
    public async Task The_freshness_figure_compares_recommendations_with_and_without_example_age()
    {
        using var temp = new TempFolder();
        await FunnelProcess.RunAsync("synth", "--out", temp.Combine("world"), "--users", "150", "--videos", "400", "--days", "8", "--seed", "5");
        await FunnelProcess.RunAsync("train", "candidates", "--data", temp.Combine("world"), "--out", temp.Combine("model"), "--epochs", "1", "--dim", "8", "--tower", "8", "--negatives", "32", "--batch", "64", "--index", "hnsw");
        await FunnelProcess.RunAsync("train", "candidates", "--data", temp.Combine("world"), "--out", temp.Combine("llo"), "--split", "leave-last-out", "--epochs", "1", "--dim", "8", "--tower", "8", "--negatives", "32", "--batch", "64");

        var result = await FunnelProcess.RunAsync("evaluate", "--data", temp.Combine("world"), "--model", temp.Combine("model"), "--freshness", "--k", "20", "--json");
        var refused = await FunnelProcess.RunAsync("evaluate", "--data", temp.Combine("world"), "--model", temp.Combine("llo"), "--freshness");

        Assert.Equal(0, result.ExitCode);
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(22, rows.Count);
        foreach (var column in new[] { "watch_share", "with_example_age", "without_example_age" })
        {
            Assert.Equal(1.0, rows.Sum(r => r.GetProperty(column).GetDouble()), 6);
        }
        Assert.True(File.Exists(temp.Combine("model/freshness/freshness.png")));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("needs a model trained on a temporal split", refused.Stderr, StringComparison.Ordinal);
    }
}

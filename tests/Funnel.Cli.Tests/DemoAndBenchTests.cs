namespace Funnel.Cli.Tests;

[Trait(TestSpeed.Category, TestSpeed.Slow)]
public sealed class DemoAndBenchTests
{
    [Fact]
    public async Task Demo_imports_movielens_generates_a_world_and_writes_a_report()
    {
        using var temp = new TempFolder();

        var result = await FunnelProcess.RunAsync("demo", "--out", temp.Combine("demo"), "--datasets", RepositoryPaths.Datasets());

        Assert.Equal(0, result.ExitCode);
        var report = await File.ReadAllTextAsync(temp.Combine("demo/report.md"));
        Assert.Contains("## ml-100k", report, StringComparison.Ordinal);
        Assert.Contains("| 943 | 1,682 | 100,000 |", report, StringComparison.Ordinal);
        Assert.Contains("## synth-u3000-v8000-d28-s1", report, StringComparison.Ordinal);
        Assert.Contains("## Candidate generation on the synthetic world", report, StringComparison.Ordinal);
        foreach (var model in new[] { "| funnel |", "| popularity |", "| itemknn |", "| ease |" })
        {
            Assert.Contains(model, report, StringComparison.Ordinal);
        }
        Assert.True(File.Exists(temp.Combine("demo/models/synth/training/curve.png")));
        Assert.Contains("## Ranking on the synthetic world", report, StringComparison.Ordinal);
        Assert.Contains("| candidate-score |", report, StringComparison.Ordinal);
        Assert.Contains("## The service: replayed sessions", report, StringComparison.Ordinal);
        Assert.Equal(3, report.Split("| 10 | `", StringSplitOptions.None).Length - 1);
        var html = await File.ReadAllTextAsync(temp.Combine("demo/report.html"));
        Assert.Contains("<table>", html, StringComparison.Ordinal);
        Assert.Contains("<img src=\"models/synth/ranking-training/curve.png\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_data_benchmark_runs_every_phase_on_a_tiny_world()
    {
        using var temp = new TempFolder();

        var result = await FunnelProcess.RunAsync("bench", "data", "--users", "100", "--videos", "400", "--days", "4", "--work", temp.Combine("work"), "--json");

        Assert.Equal(0, result.ExitCode);
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["synthesise", "import-csv", "examples"], rows.Select(r => r.GetProperty("phase").GetString()));
        Assert.All(rows, r => Assert.True(r.GetProperty("events").GetInt64() > 0 && r.GetProperty("peak_mb").GetDouble() > 0));
        Assert.False(Directory.Exists(temp.Combine("work")));
    }

    [Fact]
    public async Task The_training_benchmark_measures_a_tiny_network()
    {
        var result = await FunnelProcess.RunAsync("bench", "training", "--videos", "2000", "--optimizers", "adagrad,lazy-adam", "--negatives", "64", "--seconds", "0.2", "--json");

        Assert.Equal(0, result.ExitCode);
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["adagrad", "lazy-adam"], rows.Select(r => r.GetProperty("optimizer").GetString()));
        Assert.All(rows, r => Assert.True(r.GetProperty("examples_per_s").GetDouble() > 0 && r.GetProperty("system").GetString() == "funnel"));
    }

    [Fact]
    public async Task The_attention_benchmark_times_the_encoders_training_after_a_warm_up_epoch()
    {
        using var temp = new TempFolder();
        await FunnelProcess.RunAsync("synth", "--out", temp.Combine("world"), "--users", "600", "--videos", "400", "--days", "6", "--seed", "3");

        var result = await FunnelProcess.RunAsync("bench", "attention", "--data", temp.Combine("world"), "--rounds", "1", "--epochs", "2", "--batch", "512", "--json");

        Assert.Equal(0, result.ExitCode);
        var row = Assert.Single(result.Json().GetProperty("rows").EnumerateArray());
        Assert.Equal("funnel-attention", row.GetProperty("system").GetString());
        Assert.True(row.GetProperty("targets_per_epoch").GetInt64() > 0);
        Assert.True(row.GetProperty("targets_per_s").GetDouble() > 0);
    }

    [Fact]
    public async Task The_hot_path_micro_benchmark_serves_one_slate_and_counts_its_allocations()
    {
        using var temp = new TempFolder();

        // One dry BenchmarkDotNet run, so the benchmark keeps working; its figures are not read.
        var result = await FunnelProcess.RunAsync("bench", "hot-path", "--model", temp.Combine("model"), "--synthetic-videos", "2000", "--dry", "--json");

        Assert.Equal(0, result.ExitCode);
        var row = Assert.Single(result.Json().GetProperty("rows").EnumerateArray());
        Assert.True(row.GetProperty("mean_ms").GetDouble() > 0);
        Assert.True(row.GetProperty("allocated_kb_per_slate").GetDouble() > 0);
    }

    [Fact]
    public async Task The_hot_path_sweeps_an_inverted_files_probes_and_writes_the_ann_peers_files()
    {
        using var temp = new TempFolder();

        var result = await FunnelProcess.RunAsync(
            "bench", "hot-path", "--model", temp.Combine("model"), "--synthetic-videos", "2000", "--synthetic-index", "ivf",
            "--probes", "1,45", "--users", "20", "--peer-files", temp.Combine("peers"), "--dry", "--json");

        Assert.Equal(0, result.ExitCode);
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["ivf", "ivf"], rows.Select(r => r.GetProperty("index").GetString()));
        Assert.Equal([1, 45], rows.Select(r => r.GetProperty("probes").GetInt32()));
        // √2,000 ≈ 45 lists: probing all of them is an exact scan.
        Assert.Equal(1.0, rows[1].GetProperty("recall").GetDouble());
        Assert.True(rows[0].GetProperty("recall").GetDouble() < 1.0);
        Assert.Equal(2_000L * 256 * sizeof(float), new FileInfo(Path.Combine(temp.Combine("peers"), "hot_base_2000x256.f32")).Length);
        Assert.Equal(1_000L * 256 * sizeof(float), new FileInfo(Path.Combine(temp.Combine("peers"), "hot_query_1000x256.f32")).Length);
        Assert.Equal(1_000L * 100 * sizeof(int), new FileInfo(Path.Combine(temp.Combine("peers"), "hot_gt_1000x100.i32")).Length);
    }

    [Fact]
    public async Task A_search_setting_the_synthetic_index_cannot_take_is_refused_before_the_model_is_written()
    {
        using var temp = new TempFolder();

        var probes = await FunnelProcess.RunAsync("bench", "hot-path", "--model", temp.Combine("model"), "--synthetic-videos", "2000", "--probes", "8");
        var beam = await FunnelProcess.RunAsync("bench", "hot-path", "--model", temp.Combine("model"), "--synthetic-videos", "2000", "--synthetic-index", "ivf", "--ef", "300");

        Assert.Equal(2, probes.ExitCode);
        Assert.Contains("--probes sets how many lists an IVF index scans", probes.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, beam.ExitCode);
        Assert.Contains("--ef sets an HNSW graph's search beam", beam.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("model")));
    }

    [Fact]
    public async Task A_search_beam_narrower_than_the_candidates_searched_for_is_refused()
    {
        // USearch never searches with a beam narrower than k: --ef 64 would measure 300 under another name.
        var result = await FunnelProcess.RunAsync("bench", "hot-path", "--model", "no-model", "--ef", "64,300");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("every --ef (64,300) at least the 300 candidates searched for", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_inference_benchmark_reports_batch_one_and_batch_256()
    {
        var result = await FunnelProcess.RunAsync("bench", "inference", "--videos", "2000", "--seconds", "0.1", "--json");

        Assert.Equal(0, result.ExitCode);
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([1, 256], rows.Select(r => r.GetProperty("batch").GetInt32()));
        Assert.All(rows, r => Assert.True(r.GetProperty("ms_per_request").GetDouble() > 0));
    }

    [Fact]
    public async Task The_retrieval_benchmark_measures_exact_and_hnsw_on_raw_vector_files()
    {
        using var temp = new TempFolder();
        const int count = 2000, dimensions = 16, queries = 1000, k = 100;
        var random = new Random(5);
        var vectors = Enumerable.Range(0, count * dimensions).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var queryVectors = Enumerable.Range(0, queries * dimensions).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        // The exact top 100 by inner product, as ../shared/peers/gen_ann_data.py writes it.
        var truth = Enumerable.Range(0, queries).SelectMany(q => Enumerable.Range(0, count)
            .OrderByDescending(v => Enumerable.Range(0, dimensions).Sum(d => (double)queryVectors[(q * dimensions) + d] * vectors[(v * dimensions) + d]))
            .Take(k)).ToArray();
        Directory.CreateDirectory(temp.Combine("data"));
        File.WriteAllBytes(temp.Combine($"data/base_{count}x{dimensions}.f32"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(vectors.AsSpan()).ToArray());
        File.WriteAllBytes(temp.Combine($"data/query_{queries}x{dimensions}.f32"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(queryVectors.AsSpan()).ToArray());
        File.WriteAllBytes(temp.Combine($"data/gt_{queries}x{k}.i32"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(truth.AsSpan()).ToArray());

        var result = await FunnelProcess.RunAsync("bench", "retrieval", "--data-dir", temp.Combine("data"), "--n", $"{count}", "--dim", $"{dimensions}", "--ef", "16,256", "--strategies", "angular,raw", "--plot", temp.Combine("plot.png"), "--json");

        Assert.Equal(0, result.ExitCode);
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToList();
        // A sweep stops early once recall reaches 0.995, so each index has one or two rows.
        Assert.Equal(["exact", "hnsw-angular", "hnsw-raw"], rows.Select(r => r.GetProperty("index").GetString()).Distinct());
        Assert.Equal(["batch", "single"], rows.Take(2).Select(r => r.GetProperty("param").GetString()));
        Assert.All(rows.Take(2), r => Assert.Equal(1.0, r.GetProperty("recall").GetDouble(), 3));
        Assert.All(rows, r => Assert.True(r.GetProperty("qps").GetDouble() > 0));
        Assert.True(File.Exists(temp.Combine("plot.png")));

        // A truth file from another set is refused, not reported as a low recall.
        File.WriteAllBytes(temp.Combine($"data/gt_{queries}x{k}.i32"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(truth.Reverse().ToArray().AsSpan()).ToArray());
        var mismatched = await FunnelProcess.RunAsync("bench", "retrieval", "--data-dir", temp.Combine("data"), "--n", $"{count}", "--dim", $"{dimensions}", "--strategies", "");
        Assert.NotEqual(0, mismatched.ExitCode);
        Assert.Contains("belong to another set", mismatched.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_peers_files_the_retrieval_benchmark_makes_its_own_set_and_its_exact_truth()
    {
        using var temp = new TempFolder();

        var result = await FunnelProcess.RunAsync("bench", "retrieval", "--data-dir", temp.Combine("data"), "--n", "3000", "--dim", "16", "--ef", "64", "--strategies", "angular", "--json");
        var variant = await FunnelProcess.RunAsync("bench", "retrieval", "--data-dir", temp.Combine("data"), "--n", "3000", "--dim", "16", "--tag", "cos_", "--strategies", "");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("making the clustered set here", result.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(temp.Combine("data/base_3000x16.f32")));
        // The exact index agrees with the ground truth the generator computed.
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToList();
        Assert.All(rows.Where(r => r.GetProperty("index").GetString() == "exact"), r => Assert.Equal(1.0, r.GetProperty("recall").GetDouble(), 3));
        Assert.NotEqual(0, variant.ExitCode);
        Assert.Contains("gen_ann_data.py", variant.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_retrieval_benchmark_measures_a_trained_models_own_vectors()
    {
        using var temp = new TempFolder();
        await FunnelProcess.RunAsync("synth", "--out", temp.Combine("world"), "--users", "4000", "--videos", "1500", "--days", "10", "--seed", "4");
        await FunnelProcess.RunAsync("train", "candidates", "--data", temp.Combine("world"), "--out", temp.Combine("model"), "--epochs", "1", "--dim", "16", "--tower", "16", "--negatives", "64", "--batch", "256");

        var result = await FunnelProcess.RunAsync("bench", "retrieval", "--model", temp.Combine("model"), "--data", temp.Combine("world"), "--data-dir", temp.Combine("vectors"), "--ef", "64", "--strategies", "angular", "--json");

        Assert.Equal(0, result.ExitCode);
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToList();
        // The exported truth is the exact top 100 of the exported vectors: exact search must reproduce it.
        Assert.Equal(1.0, rows[0].GetProperty("recall").GetDouble(), 3);
        Assert.Equal(16, rows[0].GetProperty("dim").GetInt32());
        Assert.True(File.Exists(temp.Combine($"vectors/model_query_1000x16.f32")));
    }
}

namespace Funnel.Cli.Tests;

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
    public async Task The_inference_benchmark_reports_batch_one_and_batch_256()
    {
        var result = await FunnelProcess.RunAsync("bench", "inference", "--videos", "2000", "--seconds", "0.1", "--json");

        Assert.Equal(0, result.ExitCode);
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([1, 256], rows.Select(r => r.GetProperty("batch").GetInt32()));
        Assert.All(rows, r => Assert.True(r.GetProperty("ms_per_request").GetDouble() > 0));
    }
}

namespace Funnel.Cli.Tests;

[Trait(TestSpeed.Category, TestSpeed.Slow)]
public sealed class RankingCommandTests
{
    [Fact]
    public async Task Trains_evaluates_and_reproduces_table_1_rows_from_the_command_line()
    {
        using var temp = new TempFolder();
        await FunnelProcess.RunAsync("synth", "--out", temp.Combine("world"), "--users", "250", "--videos", "600", "--days", "8", "--seed", "3");
        await FunnelProcess.RunAsync("train", "candidates", "--data", temp.Combine("world"), "--out", temp.Combine("model"), "--epochs", "1", "--dim", "16", "--tower", "16", "--negatives", "64", "--batch", "128");

        var trained = await FunnelProcess.RunAsync("train", "ranking", "--data", temp.Combine("world"), "--out", temp.Combine("model"), "--tower", "32,16", "--epochs", "2", "--json");
        var evaluated = await FunnelProcess.RunAsync("evaluate", "ranking", "--data", temp.Combine("world"), "--model", temp.Combine("model"), "--json");
        var markdown = await FunnelProcess.RunAsync("evaluate", "ranking", "--data", temp.Combine("world"), "--model", temp.Combine("model"));
        var table = await FunnelProcess.RunAsync("evaluate", "ranking", "--data", temp.Combine("world"), "--model", temp.Combine("model"), "--table1", "--configs", "none,1024-512-256-unweighted", "--epochs", "1", "--json");

        Assert.True(trained.ExitCode == 0, trained.Stderr);
        Assert.Equal(2, trained.Json().GetProperty("history").GetArrayLength());
        foreach (var file in new[] { "ranking/ranking.json", "ranking/network.bin", "ranking/videos.txt", "ranking/catalogue.parquet", "ranking/popular.txt", "ranking-training/curve.png", "table1/table1.md", "table1/table1.json", "table1/table1.png" })
        {
            Assert.True(File.Exists(temp.Combine("model/" + file)), file);
        }
        Assert.True(evaluated.ExitCode == 0, evaluated.Stderr);
        var results = evaluated.Json().GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["32-16", "candidate-score"], results.Select(r => r.GetProperty("config").GetString()).Distinct());
        // Evaluating the saved ranker reproduces the figures training reported.
        static string Figures(IEnumerable<System.Text.Json.JsonElement> rows) => string.Join(';', rows.Select(r => $"{r.GetProperty("config").GetString()} {r.GetProperty("metric").GetString()} {r.GetProperty("value").GetDouble()}"));
        Assert.Equal(Figures(trained.Json().GetProperty("results").EnumerateArray()), Figures(results.Where(r => r.GetProperty("config").GetString() == "32-16")));
        Assert.True(markdown.ExitCode == 0, markdown.Stderr);
        Assert.Contains("| candidate-score |", markdown.Stdout, StringComparison.Ordinal);
        Assert.True(table.ExitCode == 0, table.Stderr);
        var rows = table.Json().GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["none", "1024-512-256-unweighted"], rows.Select(r => r.GetProperty("config").GetString()).Distinct());
        Assert.All(rows.Where(r => r.GetProperty("metric").GetString() == "weighted_per_user_loss"), r => Assert.InRange(r.GetProperty("value").GetDouble(), 0, 1));
        Assert.Contains("| none |", File.ReadAllText(temp.Combine("model/table1/table1.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_without_impressions_a_folder_without_a_ranker_and_unknown_rows_are_refused()
    {
        using var temp = new TempFolder();
        var watches = temp.Combine("watches.csv");
        await File.WriteAllTextAsync(watches, "user_id,video_id,timestamp\nu1,v1,12\nu1,v2,13\nu2,v1,20\n");
        await FunnelProcess.RunAsync("import", "csv", "--watches", watches, "--out", temp.Combine("data"));
        await FunnelProcess.RunAsync("synth", "--out", temp.Combine("world"), "--users", "60", "--videos", "200", "--days", "4", "--seed", "3");

        var noImpressions = await FunnelProcess.RunAsync("train", "ranking", "--data", temp.Combine("data"), "--out", temp.Combine("model"));
        var noRanker = await FunnelProcess.RunAsync("evaluate", "ranking", "--data", temp.Combine("world"), "--model", temp.Combine("model"));
        var unknownRow = await FunnelProcess.RunAsync("evaluate", "ranking", "--data", temp.Combine("world"), "--model", temp.Combine("model"), "--table1", "--configs", "2048");

        Assert.Equal(2, noImpressions.ExitCode);
        Assert.Contains("has no impressions", noImpressions.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("model/ranking")));
        Assert.Equal(2, noRanker.ExitCode);
        Assert.Contains("funnel train ranking", noRanker.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, unknownRow.ExitCode);
        Assert.Contains("--configs: unknown value '2048'", unknownRow.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_serving_benchmark_loads_reloads_and_kills_a_tiny_service()
    {
        using var temp = new TempFolder();
        await FunnelProcess.RunAsync("synth", "--out", temp.Combine("world"), "--users", "150", "--videos", "400", "--days", "6", "--seed", "5");
        await FunnelProcess.RunAsync("train", "candidates", "--data", temp.Combine("world"), "--out", temp.Combine("model"), "--epochs", "1", "--dim", "8", "--tower", "8", "--negatives", "32", "--batch", "64");
        await FunnelProcess.RunAsync("train", "ranking", "--data", temp.Combine("world"), "--out", temp.Combine("model"), "--tower", "16", "--epochs", "1");

        var result = await FunnelProcess.RunAsync("bench", "serving", "--model", temp.Combine("model"), "--connections", "1,4", "--seconds", "1", "--users", "10", "--reloads", "2", "--kill-rounds", "2", "--kill-seconds", "0.5", "--work", temp.Combine("work"), "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["load", "load", "hot-swap", "kill-9 restart 1", "kill-9 restart 2", "clean restart"], rows.Select(r => r.GetProperty("phase").GetString()));
        // Errors of the kill rows are acknowledged events missing after that restart.
        Assert.All(rows, r => Assert.Equal(0, r.GetProperty("errors").GetInt32()));
        Assert.All(rows.Take(3), r => Assert.True(r.GetProperty("rps").GetDouble() > 0));
        Assert.Equal(2, rows[2].GetProperty("reloads").GetInt32());
        Assert.True(rows[4].GetProperty("requests").GetInt32() > rows[3].GetProperty("requests").GetInt32(), "the second round acknowledged no events");
        Assert.False(Directory.Exists(temp.Combine("work")));
    }

    [Fact]
    public async Task The_serving_benchmark_can_write_an_untrained_model_of_a_given_corpus_size()
    {
        using var temp = new TempFolder();

        var result = await FunnelProcess.RunAsync("bench", "serving", "--model", temp.Combine("synthetic"), "--synthetic-videos", "3000", "--connections", "2", "--seconds", "1", "--users", "5", "--reloads", "0", "--no-kill9", "--separate-process", "--server-cpus", "1", "--generator-cpus", "0", "--work", temp.Combine("work"), "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var rows = result.Json().GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Equal(0, row.GetProperty("errors").GetInt32()));
        // The server's own CPU and allocations per slate only where it runs alone in its process.
        Assert.Equal(System.Text.Json.JsonValueKind.Null, rows[0].GetProperty("cpu_ms_per_slate").ValueKind);
        Assert.True(rows[1].GetProperty("cpu_ms_per_slate").GetDouble() > 0);
        Assert.True(rows[1].GetProperty("allocated_kb_per_slate").GetDouble() > 0);
        Assert.Equal("load, separate process (server on CPUs 1, generator on 0)", rows[1].GetProperty("phase").GetString());
        Assert.Contains("\"kind\": \"hnsw\"", File.ReadAllText(temp.Combine("synthetic/candidates/index/index.json")), StringComparison.Ordinal);
        Assert.Equal(3001, File.ReadAllLines(temp.Combine("synthetic/candidates/videos.txt")).Length);
    }

    [Fact]
    public async Task Pinning_the_serving_benchmark_needs_a_separate_server_and_a_cpu_list()
    {
        var alone = await FunnelProcess.RunAsync("bench", "serving", "--model", "m", "--server-cpus", "1");
        var malformed = await FunnelProcess.RunAsync("bench", "serving", "--model", "m", "--separate-process", "--generator-cpus", "first");

        Assert.Equal(2, alone.ExitCode);
        Assert.Contains("--server-cpus pins the separate server's measurement: add --separate-process", alone.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("--generator-cpus: expected a CPU list", malformed.Stderr, StringComparison.Ordinal);
    }
}

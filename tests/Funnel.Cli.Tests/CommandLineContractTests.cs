namespace Funnel.Cli.Tests;

public sealed class CommandLineContractTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("import", "movielens", "--help")]
    [InlineData("synth", "--help")]
    [InlineData("bench", "data", "--help")]
    [InlineData("serve", "--help")]
    [InlineData("train", "ranking", "--help")]
    [InlineData("evaluate", "ranking", "--help")]
    [InlineData("recommend", "--help")]
    [InlineData("experiment", "--help")]
    [InlineData("tune", "--help")]
    public async Task Help_works_everywhere(params string[] arguments)
    {
        var result = await FunnelProcess.RunAsync(arguments);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("train candidates --data x", "funnel: error: Option '--out' is required.", "funnel train candidates --help")]
    [InlineData("recommend --model m --user u --k ten", "funnel: error: Cannot parse argument 'ten' for option '--k'", "funnel recommend --help")]
    [InlineData("evaluat", "funnel: error: ", "funnel --help")]
    public async Task A_command_line_that_does_not_parse_gets_its_errors_on_stderr_and_no_help_on_stdout(string command, string error, string help)
    {
        var result = await FunnelProcess.RunAsync(command.Split(' '));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        var lines = result.Stderr.TrimEnd().Split('\n');
        Assert.StartsWith(error, lines[0], StringComparison.Ordinal);
        Assert.Equal($"funnel: see '{help}'", lines[^1]);
        Assert.InRange(lines.Length, 2, 4);
    }

    [Fact]
    public async Task Serving_a_folder_that_is_not_a_model_fails_with_one_line()
    {
        using var temp = new TempFolder();

        var result = await FunnelProcess.RunAsync("serve", "--model", temp.Combine("nothing"), "--urls", "http://127.0.0.1:0");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("funnel: error: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("model.json", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--max-users", "0", "--max-users: expected 1 or more, got 0")]
    [InlineData("--idle-days", "-1", "--idle-days: expected 0 (never) or more days, got -1")]
    [InlineData("--store-log-mb", "0", "--store-log-mb: expected 1 or more megabytes, got 0")]
    [InlineData("--sources", "knn=5", "--sources: unknown source 'knn' (expected candidates=N,covisits=N,regional=N,fresh=N,fresh-slots=N)")]
    public async Task Serve_refuses_retention_or_sources_it_cannot_apply_before_loading_anything(string option, string value, string message)
    {
        using var temp = new TempFolder();

        var result = await FunnelProcess.RunAsync("serve", "--model", temp.Combine("nothing"), "--urls", "http://127.0.0.1:0", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"funnel: error: {message}", result.Stderr.Trim());
    }

    [Theory]
    [InlineData("train candidates --validate-on recall@ten", "--validate-on: expected METRIC@K with METRIC one of hr, recall, ndcg, map, got 'recall@ten'")]
    [InlineData("train candidates --split first-click", "unknown split 'first-click': expected temporal, leave-last-out or last-interaction")]
    [InlineData("tune --trials 0", "--trials and --epochs must be ≥ 1; got 0 and 60")]
    [InlineData("train candidates --completed 1.5", "completion thresholds must be in [0, 1]; got 1.5 (--completed) and none (--label-threshold)")]
    public async Task Candidate_recipes_refuse_bad_values_in_one_line_before_reading_data(string command, string message)
    {
        using var temp = new TempFolder();

        var result = await FunnelProcess.RunAsync([.. command.Split(' '), "--data", temp.Combine("none"), "--out", temp.Combine("model")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"funnel: error: {message}", result.Stderr.Trim());
        Assert.False(Directory.Exists(temp.Combine("model")));
    }

    [Fact]
    public async Task Import_movielens_prints_one_json_document()
    {
        using var temp = new TempFolder();

        var result = await FunnelProcess.RunAsync("import", "movielens", "--source", Path.Combine(RepositoryPaths.Datasets(), "ml-100k"), "--out", temp.Combine("ml"), "--json");

        Assert.Equal(0, result.ExitCode);
        var counts = result.Json().GetProperty("counts");
        Assert.Equal(100_000, counts.GetProperty("watches").GetInt64());
        Assert.Equal(943, counts.GetProperty("users").GetInt64());
        Assert.Equal(1_682, counts.GetProperty("videos").GetInt64());
    }

    [Fact]
    public async Task Bad_input_is_one_line_on_stderr_with_a_non_zero_exit_and_no_output_folder()
    {
        using var temp = new TempFolder();
        var watches = temp.Combine("watches.csv");
        await File.WriteAllTextAsync(watches, "user_id,video_id,timestamp\nu1,v1,12\nu1,v2,soon\n");

        var result = await FunnelProcess.RunAsync("import", "csv", "--watches", watches, "--out", temp.Combine("data"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"funnel: error: {watches}:3 field 'timestamp': expected Unix seconds or an ISO 8601 time, found 'soon'", result.Stderr.Trim());
        Assert.False(Directory.Exists(temp.Combine("data")));
    }

    [Fact]
    public async Task Lenient_import_reports_what_it_skipped()
    {
        using var temp = new TempFolder();
        var watches = temp.Combine("watches.csv");
        await File.WriteAllTextAsync(watches, "user_id,video_id,timestamp\nu1,v1,12\nu1,v2,soon\n");

        var result = await FunnelProcess.RunAsync("import", "csv", "--watches", watches, "--out", temp.Combine("data"), "--lenient", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1, result.Json().GetProperty("skipped_rows").GetInt32());
        Assert.Contains("skipped 1 row(s): watches.csv timestamp", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_seeded_world_is_the_same_twice_and_stats_describe_it()
    {
        using var temp = new TempFolder();
        string[] World(string name) => ["synth", "--out", temp.Combine(name), "--users", "80", "--videos", "300", "--days", "5", "--seed", "5", "--json"];

        var first = await FunnelProcess.RunAsync(World("a"));
        var second = await FunnelProcess.RunAsync(World("b"));
        var stats = await FunnelProcess.RunAsync("stats", "--data", temp.Combine("a"), "--split", "leave-last-out", "--json");
        var everySplit = await FunnelProcess.RunAsync("stats", "--data", temp.Combine("a"));

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Json().GetProperty("counts").ToString(), second.Json().GetProperty("counts").ToString());
        Assert.Equal(0, stats.ExitCode);
        Assert.Equal("leave-last-out", stats.Json().GetProperty("examples").GetProperty("split").GetString());
        Assert.True(stats.Json().GetProperty("examples").GetProperty("training_examples").GetInt32() > 0);
        // Without --split, one row per split.
        Assert.Equal(0, everySplit.ExitCode);
        Assert.Equal(3, everySplit.Stdout.Split('\n').Count(line => line.StartsWith("| temporal |", StringComparison.Ordinal) || line.StartsWith("| leave-last-out |", StringComparison.Ordinal) || line.StartsWith("| last-interaction |", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_unknown_split_is_rejected_by_name()
    {
        using var temp = new TempFolder();
        await FunnelProcess.RunAsync("synth", "--out", temp.Combine("w"), "--users", "20", "--videos", "50", "--days", "2");

        var result = await FunnelProcess.RunAsync("stats", "--data", temp.Combine("w"), "--split", "random");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown split 'random'", result.Stderr, StringComparison.Ordinal);
    }
}

namespace Funnel.Cli.Tests;

[Trait(TestSpeed.Category, TestSpeed.Slow)]
public sealed class ExperimentCommandTests
{
    [Fact]
    public async Task The_default_experiment_trains_both_arms_runs_them_and_reports_in_the_contract_shape_and_an_arm_recommends_offline()
    {
        using var temp = new TempFolder();
        await FunnelProcess.RunAsync("synth", "--out", temp.Combine("world"), "--users", "200", "--videos", "600", "--days", "10", "--seed", "4");

        var result = await FunnelProcess.RunAsync("experiment", "--data", temp.Combine("world"), "--out", temp.Combine("experiment"), "--days", "2", "--users", "120", "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var json = result.Json();
        var arms = json.GetProperty("arms").EnumerateArray().ToList();
        Assert.Equal(["watch-time", "clicks"], arms.Select(a => a.GetProperty("name").GetString()).Distinct());
        Assert.Equal(120, arms.Where(a => a.GetProperty("metric").GetString() == "ctr").Sum(a => a.GetProperty("users").GetInt32()));
        foreach (var row in arms.Where(a => a.GetProperty("metric").GetString() != "fresh_watch_share"))
        {
            var mean = row.GetProperty("mean").GetDouble();
            Assert.InRange(mean, row.GetProperty("ci_low").GetDouble(), row.GetProperty("ci_high").GetDouble());
        }
        var offline = json.GetProperty("offline").EnumerateArray().ToList();
        Assert.Contains(offline, o => o.GetProperty("name").GetString() == "clicks" && o.GetProperty("metric").GetString() == "auc");
        Assert.Contains(offline, o => o.GetProperty("name").GetString() == "watch-time" && o.GetProperty("metric").GetString() == "weighted_per_user_loss");
        foreach (var file in new[] { "experiment.md", "experiment.html", "experiment.json", "daily-watch.png", "offline-vs-online.png", "logged/manifest.json", "arms/clicks/ranking/ranking.json" })
        {
            Assert.True(File.Exists(temp.Combine("experiment/" + file)), file);
        }
        Assert.Contains("## Offline against online", File.ReadAllText(temp.Combine("experiment/experiment.md")), StringComparison.Ordinal);

        // One arm's slate offline, from the logs it was trained on, in the API's shape.
        var slate = await FunnelProcess.RunAsync("recommend", "--model", temp.Combine("experiment/arms/watch-time"), "--user", "u3", "--k", "5", "--json");
        var newcomer = await FunnelProcess.RunAsync("recommend", "--model", temp.Combine("experiment/arms/watch-time"), "--user", "nobody", "--k", "3", "--json");
        var badK = await FunnelProcess.RunAsync("recommend", "--model", temp.Combine("experiment/arms/watch-time"), "--user", "u3", "--k", "0");
        Assert.True(slate.ExitCode == 0, slate.Stderr);
        Assert.Equal(5, slate.Json().GetProperty("items").GetArrayLength());
        Assert.Equal("model", slate.Json().GetProperty("servedBy").GetString());
        Assert.All(slate.Json().GetProperty("items").EnumerateArray(), i => Assert.StartsWith("v", i.GetProperty("videoId").GetString(), StringComparison.Ordinal));
        Assert.True(newcomer.ExitCode == 0, newcomer.Stderr);
        Assert.Contains("served as a new user", newcomer.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, newcomer.Json().GetProperty("items").GetArrayLength());
        Assert.Equal(2, badK.ExitCode);
        Assert.Contains("--k", badK.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arms_splits_and_worlds_without_truth_are_refused_by_name()
    {
        using var temp = new TempFolder();
        await FunnelProcess.RunAsync("synth", "--out", temp.Combine("world"), "--users", "30", "--videos", "100", "--days", "10", "--seed", "4");
        var watches = temp.Combine("watches.csv");
        File.WriteAllText(watches, "user_id,video_id,timestamp\nu1,v1,100\nu1,v2,200\n");
        await FunnelProcess.RunAsync("import", "csv", "--watches", watches, "--out", temp.Combine("plain"));

        var oneArm = await FunnelProcess.RunAsync("experiment", "--data", temp.Combine("world"), "--arms", "only=" + temp.Combine("model"));
        var badSplit = await FunnelProcess.RunAsync("experiment", "--data", temp.Combine("world"), "--arms", $"a={temp.Combine("m1")},b={temp.Combine("m2")}", "--split", "1,2,3");
        var tooManyDays = await FunnelProcess.RunAsync("experiment", "--data", temp.Combine("world"), "--days", "5", "--out", temp.Combine("e1"));
        var noTruth = await FunnelProcess.RunAsync("experiment", "--data", temp.Combine("plain"), "--out", temp.Combine("e2"));

        Assert.Equal(2, oneArm.ExitCode);
        Assert.Contains("at least two arms", oneArm.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, badSplit.ExitCode);
        Assert.Contains("--split: 3 weights for 2 arms", badSplit.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, tooManyDays.ExitCode);
        Assert.Contains("at least 7", tooManyDays.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, noTruth.ExitCode);
        Assert.Contains("world.json", noTruth.Stderr, StringComparison.Ordinal);
    }
}

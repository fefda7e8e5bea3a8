using System.CommandLine;
using System.Globalization;
using Funnel.Cli.Hosting;
using Funnel.Runs.Recommendations;
using Funnel.Serving;

namespace Funnel.Cli.Commands;

/// <summary>funnel recommend: one user's slate without a server (<see cref="OfflineRecommendation"/>).</summary>
internal static class RecommendCommand
{
    public static Command Create()
    {
        var model = CommonOptions.RequiredPath("--model", "Model folder with candidates, index and ranker");
        var user = new Option<string>("--user") { Description = "The user's id; one without events in the data is served as a new user", Required = true };
        var k = new Option<int>("--k") { Description = $"Slate length (1–{ServiceOptions.MaxK})", DefaultValueFactory = _ => 20 };
        var data = new Option<string?>("--data") { Description = "Where the user's events come from (default: the dataset the ranker was trained on)" };
        var time = new Option<long?>("--time") { Description = "Serve as of this Unix second, from events strictly before it (default: after the data's last event)" };
        var candidates = new Option<int>("--candidates") { Description = "Candidates retrieved and ranked", DefaultValueFactory = _ => new ServiceOptions("").CandidateCount };
        var json = new Option<bool>("--json") { Description = "Print the response exactly as POST /v1/recommendations returns it (one JSON document on stdout)" };
        var command = new Command("recommend", "One user's slate, offline: the service's pipeline over the user's logged events, no server") { model, user, k, data, time, candidates, json };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var userId = parse.GetValue(user)!;
            var slate = await OfflineRecommendation.RunAsync(parse.GetValue(model)!, userId, parse.GetValue(k), parse.GetValue(candidates), parse.GetValue(data), parse.GetValue(time), cancellation);
            if (!slate.KnownUser)
            {
                ProgressLog.Line($"recommend: user '{userId}' has no events in the data: served as a new user");
            }
            var response = slate.Response;
            if (parse.GetValue(json))
            {
                JsonOutput.WriteAsApi(response);
                return ExitCodes.Success;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{userId}: {slate.Events:N0} events before {DateTimeOffset.FromUnixTimeSeconds(slate.Time):u}, served by {response.ServedBy} ({response.ModelVersion})"));
            Console.WriteLine("| # | video | expected watch s | source | candidate rank |");
            Console.WriteLine("|---:|---|---:|---|---:|");
            foreach (var (item, i) in response.Items.Select((item, i) => (item, i)))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {i + 1} | {item.VideoId} | {item.Score:F1} | {item.Source} | {item.CandidateRank} |"));
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}

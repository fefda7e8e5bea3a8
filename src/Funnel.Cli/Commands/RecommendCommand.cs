using System.CommandLine;
using System.Globalization;
using Funnel.Cli.Hosting;
using Funnel.Data.Storage;
using Funnel.Ranking.Inference;
using Funnel.Serving;
using Funnel.Serving.Contracts;
using Funnel.Serving.Models;
using Funnel.Serving.Recommendations;
using Funnel.Serving.Store;

namespace Funnel.Cli.Commands;

/// <summary>
/// funnel recommend: one user's slate without a server: the service's own pipeline (state,
/// user vector, retrieval, ranking, top-up) over the user's logged events in a dataset.
/// </summary>
internal static class RecommendCommand
{
    public static Command Create()
    {
        var model = CommonOptions.RequiredPath("--model", "Model folder with candidates, index and ranker");
        var user = new Option<string>("--user") { Description = "The user's id; one without events in the data is served as a new user", Required = true };
        var k = new Option<int>("--k") { Description = "Slate length (1–1000)", DefaultValueFactory = _ => 20 };
        var data = new Option<string?>("--data") { Description = "Where the user's events come from (default: the dataset the ranker was trained on)" };
        var time = new Option<long?>("--time") { Description = "Serve as of this Unix second, from events strictly before it (default: after the data's last event)" };
        var candidates = new Option<int>("--candidates") { Description = "Candidates retrieved and ranked", DefaultValueFactory = _ => new ServiceOptions("").CandidateCount };
        var json = new Option<bool>("--json") { Description = "Print the response exactly as POST /v1/recommendations returns it (one JSON document on stdout)" };
        var command = new Command("recommend", "One user's slate, offline: the service's pipeline over the user's logged events, no server") { model, user, k, data, time, candidates, json };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            if (parse.GetValue(k) is < 1 or > ServiceOptions.MaxK || parse.GetValue(candidates) is < 1 or > ServiceOptions.MaxK)
            {
                throw new ArgumentException($"--k and --candidates: expected 1 to {ServiceOptions.MaxK}, got {parse.GetValue(k)} and {parse.GetValue(candidates)}");
            }
            var modelFolder = parse.GetValue(model)!;
            var dataPath = parse.GetValue(data) ?? RankingModelFolder.ReadStage(modelFolder).Manifest.DatasetPath;
            var dataset = await Dataset.OpenAsync(dataPath, cancellation);
            var userId = parse.GetValue(user)!;
            var index = dataset.Users.Select((u, i) => (u.Id, i)).FirstOrDefault(p => p.Id == userId, (Id: "", i: -1)).i;
            var before = parse.GetValue(time) ?? long.MaxValue;
            List<UserEvent> events = [];
            var context = new RecommendationContext();
            if (index < 0)
            {
                ProgressLog.Line($"recommend: user '{userId}' has no events in {dataPath}: served as a new user");
            }
            else
            {
                var profile = dataset.Users[index];
                context = new RecommendationContext(NullIfEmpty(profile.Device), NullIfEmpty(profile.Region), NullIfEmpty(profile.Language));
                events = LoggedEvents.Before(
                    dataset.Videos,
                    (await dataset.ReadWatchesAsync(cancellation).FlattenAsync()).Where(w => w.User == index),
                    (await dataset.ReadSearchesAsync(cancellation).FlattenAsync()).Where(s => s.User == index),
                    (await dataset.ReadImpressionsAsync(cancellation).FlattenAsync()).Where(m => m.User == index),
                    before);
            }
            var now = parse.GetValue(time) ?? (events.Count > 0 ? events[^1].Time + 1 : DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            using var served = await ServingModel.LoadAsync(modelFolder, cancellation);
            var response = new Recommender(parse.GetValue(candidates)).Recommend(served, userId, parse.GetValue(k), context, [], events, now, debug: true);
            if (parse.GetValue(json))
            {
                JsonOutput.WriteAsApi(response);
            }
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{userId}: {events.Count:N0} events before {DateTimeOffset.FromUnixTimeSeconds(now):u}, served by {response.ServedBy} ({response.ModelVersion})"));
                Console.WriteLine("| # | video | expected watch s | source | candidate rank |");
                Console.WriteLine("|---:|---|---:|---|---:|");
                foreach (var (item, i) in response.Items.Select((item, i) => (item, i)))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {i + 1} | {item.VideoId} | {item.Score:F1} | {item.Source} | {item.CandidateRank} |"));
                }
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}

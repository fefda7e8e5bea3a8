using System.CommandLine;
using System.Globalization;
using Funnel.Cli.Hosting;
using Funnel.Data.Model;
using Funnel.Ranking.Training;
using Funnel.Runs.Recommendations;
using Funnel.Serving;
using Funnel.Serving.Recommendations;
using Funnel.Serving.Contracts;

namespace Funnel.Cli.Commands;

/// <summary>funnel recommend: one user's slate without a server (<see cref="OfflineRecommendation"/>).</summary>
internal sealed class RecommendCommand : TypedCommand<RecommendCommand.Arguments>
{
    private readonly Option<string> model = CommonOptions.RequiredPath("--model", "Model folder with candidates, index and ranker");
    private readonly Option<string> user = new("--user") { Description = "The user's id; one without events in the data is served as a new user", Required = true };
    private readonly Option<int> k = new("--k") { Description = $"Slate length (1–{ServiceOptions.MaxK})", DefaultValueFactory = _ => ServiceOptions.DefaultK };
    private readonly Option<string?> data = new("--data") { Description = "Where the user's events come from (default: the dataset the ranker was trained on)" };
    private readonly Option<long?> time = new("--time") { Description = "Serve as of this Unix second, from events strictly before it (default: after the data's last event)" };
    private readonly Option<int> candidates = new("--candidates") { Description = "Candidates retrieved and ranked", DefaultValueFactory = _ => new CandidateSources().Network };
    private readonly Option<bool> json = new("--json") { Description = "Print the response exactly as POST /v1/recommendations returns it (one JSON document on stdout)" };

    /// <summary>A slate's item and its 1-based position, a row of the printed table.</summary>
    private sealed record SlateLine(int Position, RecommendedItem Item);

    /// <summary>What the command was asked.</summary>
    internal sealed record Arguments(string Model, string User, int K, int Candidates, string? Data, long? Time, bool Json);

    protected override string Name => "recommend";

    protected override string Description => "One user's slate, offline: the service's pipeline over the user's logged events, no server";

    protected override IEnumerable<Option> Options => [model, user, k, data, time, candidates, json];

    protected override Arguments Bind(ParseResult parse) =>
        new(parse.GetRequiredValue(model), parse.GetRequiredValue(user), parse.GetValue(k), parse.GetValue(candidates), parse.GetValue(data), parse.GetValue(time), parse.GetValue(json));

    protected override async Task<int> RunAsync(Arguments arguments, CancellationToken cancellation)
    {
        var slate = await OfflineRecommendation.RunAsync(arguments.Model, arguments.User, arguments.K, arguments.Candidates, arguments.Data, arguments.Time, cancellation);
        if (!slate.KnownUser)
        {
            ProgressLog.Line($"recommend: user '{arguments.User}' has no events in the data: served as a new user");
        }
        var response = slate.Response;
        if (arguments.Json)
        {
            JsonOutput.WriteAsApi(response);
            return ExitCodes.Success;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{arguments.User}: {slate.Events:N0} events before {DateTimeOffset.FromUnixTimeSeconds(slate.Time):u}, served by {response.ServedBy} ({response.ModelVersion})"));
        if (slate.RecentWatches.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"Last {slate.RecentWatches.Count} watches, latest first:");
            MarkdownTable.Print(
                slate.RecentWatches,
                new Column<Video>("video", v => v.Id, Numeric: false),
                new Column<Video>("title", v => v.Title, Numeric: false),
                new Column<Video>("topics", v => v.Topics, Numeric: false));
        }
        Console.WriteLine();
        var unit = response.ScoreUnit switch
        {
            ImpressionWeights.ClickOdds => "click odds",
            ImpressionWeights.ExpectedCompletion => "expected completion",
            _ => "expected watch s",
        };
        Console.WriteLine($"The slate ({unit}: the ranker's estimate; sources: what nominated it, the first put it in):");
        MarkdownTable.Print(
            response.Items.Select((item, i) => new SlateLine(i + 1, item)),
            new Column<SlateLine>("#", line => line.Position),
            new Column<SlateLine>("video", line => line.Item.VideoId, Numeric: false),
            new Column<SlateLine>("title", line => line.Item.Video?.Title ?? "", Numeric: false),
            new Column<SlateLine>("topics", line => string.Join(' ', line.Item.Video?.Topics ?? []), Numeric: false),
            new Column<SlateLine>(unit, line => line.Item.Score, Format: response.ScoreUnit == ImpressionWeights.WatchSeconds ? "F1" : "F3"),
            new Column<SlateLine>("sources", line => string.Join(", ", line.Item.Sources), Numeric: false),
            new Column<SlateLine>("rank in source", line => line.Item.CandidateRank));
        return ExitCodes.Success;
    }
}

using System.CommandLine;
using Funnel.Cli.Hosting;
using Funnel.Data.Synthetic;

namespace Funnel.Cli.Commands;

/// <summary>funnel synth: a seeded synthetic YouTube-like world.</summary>
internal sealed class SynthCommand : TypedCommand<SynthCommand.Arguments>
{
    /// <summary>The world made when no size is given.</summary>
    private static readonly WorldOptions Defaults = new(Users: 10_000, Videos: 20_000, Days: 28, Seed: 1);

    private readonly Option<string> output = CommonOptions.RequiredPath("--out", "Dataset folder to write");
    private readonly Option<int> users = new("--users") { Description = "Users", DefaultValueFactory = _ => Defaults.Users };
    private readonly Option<int> videos = new("--videos") { Description = "Videos (half back catalogue, half uploaded during the days)", DefaultValueFactory = _ => Defaults.Videos };
    private readonly Option<int> days = new("--days") { Description = "Simulated days", DefaultValueFactory = _ => Defaults.Days };
    private readonly Option<int> topics = new("--topics") { Description = "Topics; 0 picks from the corpus size", DefaultValueFactory = _ => Defaults.Topics };
    private readonly Option<int> seed = CommonOptions.Seed(Defaults.Seed);
    private readonly Option<bool> force = CommonOptions.Force();
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What the command was asked.</summary>
    internal sealed record Arguments(string Output, WorldOptions World, bool Force, bool Json);

    protected override string Name => "synth";

    protected override string Description => "Generate a synthetic world: topics, channels, uploads, sessions, searches, impressions, hidden truth";

    protected override IEnumerable<Option> Options => [output, users, videos, days, topics, seed, force, json];

    protected override bool UsesTorch(Arguments arguments) => false;

    protected override Arguments Bind(ParseResult parse) => new(
        parse.GetRequiredValue(output),
        new WorldOptions(parse.GetValue(users), parse.GetValue(videos), parse.GetValue(days), parse.GetValue(seed), parse.GetValue(topics)).Validate(),
        parse.GetValue(force),
        parse.GetValue(json));

    protected override async Task<int> RunAsync(Arguments arguments, CancellationToken cancellation)
    {
        var log = new ProgressLog("synth");
        var progress = new SynchronousProgress<WorldProgress>(p =>
            log.Report(p.UsersDone, p.Users, p.Elapsed, FormattableString.Invariant($"users, {p.Events:N0} events, {p.Events / Math.Max(0.001, p.Elapsed.TotalSeconds):N0} events/s")));
        var manifest = await WorldGenerator.GenerateAsync(arguments.World, arguments.Output, arguments.Force, progress, cancellation);
        if (arguments.Json)
        {
            JsonOutput.Write(new { dataset = manifest.Name, output = arguments.Output, seed = arguments.World.Seed, counts = manifest.Counts });
            return ExitCodes.Success;
        }
        var c = manifest.Counts;
        Console.WriteLine($"{arguments.Output}: {c.Users:N0} users, {c.Videos:N0} videos, {c.Watches:N0} watches, {c.Searches:N0} searches, {c.Impressions:N0} impressions");
        return ExitCodes.Success;
    }
}

using System.CommandLine;
using Funnel.Cli.Hosting;
using Funnel.Data.Synthetic;

namespace Funnel.Cli.Commands;

/// <summary>funnel synth: a seeded synthetic YouTube-like world.</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var output = CommonOptions.RequiredPath("--out", "Dataset folder to write");
        var users = new Option<int>("--users") { Description = "Users", DefaultValueFactory = _ => 10_000 };
        var videos = new Option<int>("--videos") { Description = "Videos (half back catalogue, half uploaded during the days)", DefaultValueFactory = _ => 20_000 };
        var days = new Option<int>("--days") { Description = "Simulated days", DefaultValueFactory = _ => 28 };
        var topics = new Option<int>("--topics") { Description = "Topics; 0 picks from the corpus size", DefaultValueFactory = _ => 0 };
        var seed = CommonOptions.Seed();
        var (force, json) = (CommonOptions.Force(), CommonOptions.Json());
        var command = new Command("synth", "Generate a synthetic world: topics, channels, uploads, sessions, searches, impressions, hidden truth") { output, users, videos, days, topics, seed, force, json };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var options = new WorldOptions(parse.GetValue(users), parse.GetValue(videos), parse.GetValue(days), parse.GetValue(seed), parse.GetValue(topics)).Validate();
            var log = new ProgressLog("synth");
            var progress = new SynchronousProgress<WorldProgress>(p =>
                log.Report(p.UsersDone, p.Users, p.Elapsed, FormattableString.Invariant($"users, {p.Events:N0} events, {p.Events / Math.Max(0.001, p.Elapsed.TotalSeconds):N0} events/s")));
            var manifest = await WorldGenerator.GenerateAsync(options, parse.GetValue(output)!, parse.GetValue(force), progress, cancellation);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new { dataset = manifest.Name, output = parse.GetValue(output), seed = options.Seed, counts = manifest.Counts });
            }
            else
            {
                var c = manifest.Counts;
                Console.WriteLine($"{parse.GetValue(output)}: {c.Users:N0} users, {c.Videos:N0} videos, {c.Watches:N0} watches, {c.Searches:N0} searches, {c.Impressions:N0} impressions");
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}

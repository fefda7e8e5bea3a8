using System.CommandLine;
using System.Globalization;
using Funnel.Cli.Hosting;
using Funnel.Experiments;
using Funnel.Experiments.Arms;
using Funnel.Experiments.Reporting;

namespace Funnel.Cli.Commands;

/// <summary>
/// funnel experiment: a simulated A/B test on a synthetic world. Arms are model folders, or by
/// default a watch-time-weighted and a click-weighted ranker on one candidate model, trained on
/// the world's logs before the experiment's days.
/// </summary>
internal sealed class ExperimentCommand : TypedCommand<ExperimentCommand.Arguments>
{
    private static readonly ExperimentOptions Defaults = new();

    private readonly Option<string> data = CommonOptions.RequiredPath("--data", "A synthetic world (funnel synth): its hidden truth drives the simulated users");
    private readonly Option<string?> arms = new("--arms") { Description = "NAME=MODEL,NAME=MODEL,…: model folders trained on OUT/logged (the first is the control); default: train watch-time and clicks arms" };
    private readonly Option<int> days = new("--days") { Description = "Simulated days, cut from the end of the world's logs", DefaultValueFactory = _ => Defaults.Days };
    private readonly Option<string?> split = new("--split") { Description = "Relative arm sizes, e.g. 50,50 (default: even)" };
    private readonly Option<string> output = new("--out") { Description = "Folder for the logged data, trained arms, stores and the report", DefaultValueFactory = _ => "funnel-experiment" };
    private readonly Option<int?> users = new("--users") { Description = "Simulate only the first N users" };
    private readonly Option<bool> exampleAge = new("--example-age-arm") { Description = "Default arms: add a no-example-age arm (candidate model without example age, watch-time ranker)" };
    private readonly Option<bool> fresh = new("--fresh-arm") { Description = "Default arms: add a fresh-source arm (the control's models, the world's uploads posted to its service for the fresh-uploads source)" };
    private readonly Option<bool> continuation = new("--continuation-arm") { Description = "Default arms: add a continuation arm (the ranker weighted by watch time plus the clicks' mean watch, the next slate a click earns)" };
    private readonly Option<bool> sources = new("--sources-arm") { Description = "Default arms: add a sources arm (the watch-time ranker trained with the co-visits and regional sources' scores, served with covisits=50,regional=20)" };
    private readonly Option<bool> sourceFeatures = new("--source-features-arm") { Description = "Default arms: add a source-features arm (the watch-time ranker with the co-visits and regional sources' scores, served with the default sources)" };
    private readonly Option<bool> lists = new("--lists-arm") { Description = "Default arms: add a candidate-lists arm (the watch-time ranker trained on the candidate model's lists instead of the logged impressions)" };
    private readonly Option<bool> retrain = new("--retrain-daily") { Description = "Retrain every arm after each simulated day on the logs and its users' events so far, and hot-swap it in (default arms only)" };
    private readonly Option<int> seed = CommonOptions.Seed(Defaults.Seed);
    private readonly Option<bool> json = CommonOptions.Json();

    /// <summary>What the command was asked; <see cref="Arms"/> null trains the default arms.</summary>
    internal sealed record Arguments(string Data, string Output, IReadOnlyList<Arm>? Arms, ExperimentOptions Experiment, DefaultArmTraining Training, bool Json);

    protected override string Name => "experiment";

    protected override string Description => "Simulated live A/B test: the world's users react to each arm's served slates";

    protected override IEnumerable<Option> Options => [data, arms, days, split, output, users, exampleAge, fresh, continuation, lists, sources, sourceFeatures, retrain, seed, json];

    protected override Arguments Bind(ParseResult parse)
    {
        var given = parse.GetValue(arms) is { } text ? Arm.ParseList(text) : null;
        var options = new ExperimentOptions(Days: parse.GetValue(days), Seed: parse.GetValue(seed), Split: parse.GetValue(split), Users: parse.GetValue(users), RetrainDaily: parse.GetValue(retrain)).Validate();
        if (given is not null)
        {
            ArmAssignment.ParseSplit(options.Split, given.Count);
            if (options.RetrainDaily || parse.GetValue(exampleAge) || parse.GetValue(fresh) || parse.GetValue(continuation) || parse.GetValue(lists) || parse.GetValue(sources) || parse.GetValue(sourceFeatures))
            {
                throw new ArgumentException("--retrain-daily and the --*-arm options apply to the default arms only: the experiment knows how it trained them, not how --arms models were trained");
            }
        }
        var training = DefaultArmTraining.Small with { ExampleAgeArm = parse.GetValue(exampleAge), FreshSourceArm = parse.GetValue(fresh), ContinuationArm = parse.GetValue(continuation), ListsArm = parse.GetValue(lists), SourcesArm = parse.GetValue(sources), SourceFeaturesArm = parse.GetValue(sourceFeatures) };
        return new Arguments(parse.GetRequiredValue(data), parse.GetRequiredValue(output), given, options, training, parse.GetValue(json));
    }

    protected override async Task<int> RunAsync(Arguments arguments, CancellationToken cancellation)
    {
        var progress = new Dictionary<string, ProgressLog>();
        var result = await ExperimentRun.RunAsync(
            arguments.Data,
            arguments.Output,
            arguments.Arms,
            arguments.Experiment,
            arguments.Training,
            ProgressLog.Line,
            p =>
            {
                lock (progress)
                {
                    if (!progress.TryGetValue(p.Phase, out var phase))
                    {
                        progress[p.Phase] = phase = new ProgressLog($"experiment {p.Phase}");
                    }
                    phase.Report(p.Done, p.Total, p.Elapsed, string.Create(CultureInfo.InvariantCulture, $"users ({p.Done / Math.Max(p.Elapsed.TotalSeconds, 1e-9):F0}/s)"));
                }
            },
            cancellation);
        ProgressLog.Line($"experiment: report written to {Path.Combine(Path.GetFullPath(arguments.Output), "experiment.html")}");
        if (arguments.Json)
        {
            JsonOutput.Write(new { arms = result.Arms, offline = result.Offline, comparisons = result.Comparisons, daily = result.Daily, anatomy = result.Anatomy, dataset = result.Dataset, start_utc = result.StartUtc, days = result.Days, seed = result.Seed });
        }
        else
        {
            Console.Write(ExperimentReport.Markdown(result, Environment.CurrentDirectory));
        }
        return ExitCodes.Success;
    }
}

using System.CommandLine;
using Funnel.Data.Examples;

namespace Funnel.Cli.Hosting;

/// <summary>Options shared by several commands, defined once.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print exactly one JSON document on stdout; logs go to stderr" };

    public static Option<bool> Force() => new("--force") { Description = "Replace an existing output folder (atomically: the old one stays until the new one is complete)" };

    public static Option<int> Seed(int defaultValue = 1) => new("--seed") { Description = "Seed for every random choice; the same seed gives the same result", DefaultValueFactory = _ => defaultValue };

    /// <summary>The --split option of the commands that split a dataset.</summary>
    public static Option<string> Split() => new("--split")
    {
        Description = "How to split: temporal, leave-last-out (the last first-time completed watch) or last-interaction (the last interaction, the field's leave-one-out)",
        DefaultValueFactory = _ => SplitOptions.Name(SplitKind.Temporal),
    };

    /// <summary>What counts as a completed watch: a positive, and the truth of the validation and test queries.</summary>
    public static Option<float> Completed() => new("--completed")
    {
        Description = "Completion (0 to 1: watch seconds over the video's length; MovieLens: rating / 5) at which a watch counts as completed, a positive the paper's rules predict and the test scores",
        DefaultValueFactory = _ => new ExampleOptions().CompletionThreshold,
    };

    public static Option<string> RequiredPath(string name, string description) => new(name) { Description = description, Required = true };
}

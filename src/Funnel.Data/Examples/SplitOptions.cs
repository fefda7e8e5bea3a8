namespace Funnel.Data.Examples;

/// <summary>How watches are divided into training, validation and test.</summary>
public enum SplitKind
{
    /// <summary>
    /// Global cut by time: training labels before the validation start, validation queries at the
    /// validation start, test queries at the test start. Nothing after a cut is seen before it.
    /// </summary>
    Temporal,

    /// <summary>Per user: the last first-time positive is the test label, the one before it validation.</summary>
    LeaveLastOut,

    /// <summary>
    /// The field's standard leave-one-out: per user, the last interaction (in time, ties in file
    /// order) is the test label and the one before it validation, every interaction counted whatever
    /// its completion; a history is every interaction before the label in that order.
    /// </summary>
    LastInteraction,
}

/// <summary>The split and, for a temporal split, the shares of watches after each cut.</summary>
/// <param name="Kind">Temporal or leave-last-out.</param>
/// <param name="ValidationFraction">Share of watches (by time) in the validation period.</param>
/// <param name="TestFraction">Share of watches (by time) in the test period.</param>
public sealed record SplitOptions(SplitKind Kind = SplitKind.Temporal, double ValidationFraction = 0.1, double TestFraction = 0.1)
{
    /// <summary>The CLI spelling of a split kind.</summary>
    public static string Name(SplitKind kind) => kind switch
    {
        SplitKind.Temporal => "temporal",
        SplitKind.LeaveLastOut => "leave-last-out",
        _ => "last-interaction",
    };

    /// <summary>Parses "temporal", "leave-last-out" or "last-interaction".</summary>
    public static SplitKind ParseKind(string text) => text switch
    {
        "temporal" => SplitKind.Temporal,
        "leave-last-out" => SplitKind.LeaveLastOut,
        "last-interaction" => SplitKind.LastInteraction,
        _ => throw new ArgumentException($"unknown split '{text}': expected temporal, leave-last-out or last-interaction"),
    };

    /// <summary>Fails with the offending values when the fractions make no sense.</summary>
    public SplitOptions Validate()
    {
        if (!(ValidationFraction >= 0 && TestFraction > 0 && ValidationFraction + TestFraction < 1))
        {
            throw new ArgumentException($"need validation ≥ 0, test > 0 and their sum < 1; got validation {ValidationFraction}, test {TestFraction}");
        }
        return this;
    }
}

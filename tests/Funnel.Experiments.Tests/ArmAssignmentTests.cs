using Funnel.Experiments.Arms;

namespace Funnel.Experiments.Tests;

public class ArmAssignmentTests
{
    private static readonly string[] Users = [.. Enumerable.Range(0, 20_000).Select(i => $"u{i}")];

    [Fact]
    public void A_user_keeps_their_arm_whatever_the_order_and_the_other_users()
    {
        var first = new ArmAssignment([1, 1], "salt");
        var second = new ArmAssignment([1, 1], "salt");
        var forward = Users.Select(first.ArmOf).ToArray();
        var backward = Users.Reverse().Select(second.ArmOf).Reverse().ToArray();
        Assert.Equal(forward, backward);
        Assert.Equal(forward[123], new ArmAssignment([1, 1], "salt").ArmOf("u123"));
    }

    [Fact]
    public void An_even_split_is_balanced_within_sampling_error()
    {
        var assignment = new ArmAssignment([1, 1], "balance");
        var inFirst = Users.Count(u => assignment.ArmOf(u) == 0);
        // Binomial(20,000, 0.5): σ ≈ 71; four σ either side.
        Assert.InRange(inFirst, 10_000 - 284, 10_000 + 284);
    }

    [Fact]
    public void An_uneven_split_gives_each_arm_its_share()
    {
        var assignment = new ArmAssignment([1, 1, 2], "uneven");
        var counts = new int[3];
        foreach (var user in Users)
        {
            counts[assignment.ArmOf(user)]++;
        }
        // Shares 0.25, 0.25, 0.5 of 20,000; σ ≤ 71.
        Assert.InRange(counts[0], 5_000 - 250, 5_000 + 250);
        Assert.InRange(counts[1], 5_000 - 250, 5_000 + 250);
        Assert.InRange(counts[2], 10_000 - 284, 10_000 + 284);
    }

    [Fact]
    public void Another_salt_reshuffles_users_independently()
    {
        var a = new ArmAssignment([1, 1], "one");
        var b = new ArmAssignment([1, 1], "two");
        var same = Users.Count(u => a.ArmOf(u) == b.ArmOf(u));
        // Independent assignments agree for about half the users.
        Assert.InRange(same, 10_000 - 284, 10_000 + 284);
    }

    [Theory]
    [InlineData("50,50", 2, new[] { 50.0, 50.0 })]
    [InlineData(null, 3, new[] { 1.0, 1.0, 1.0 })]
    [InlineData("1, 3", 2, new[] { 1.0, 3.0 })]
    public void Splits_parse(string? text, int arms, double[] expected) =>
        Assert.Equal(expected, ArmAssignment.ParseSplit(text, arms));

    [Theory]
    [InlineData("50", 2)]
    [InlineData("50,x", 2)]
    [InlineData("50,0", 2)]
    [InlineData("50,-1", 2)]
    public void Bad_splits_are_refused_with_the_offending_part(string text, int arms)
    {
        var error = Assert.Throws<ArgumentException>(() => ArmAssignment.ParseSplit(text, arms));
        Assert.StartsWith("--split", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arm_lists_parse_and_refuse_what_they_cannot_use()
    {
        var arms = Arm.ParseList("watch=models/a, clicks=models/b");
        Assert.Equal([new Arm("watch", "models/a"), new Arm("clicks", "models/b")], arms);
        Assert.Contains("at least two arms", Assert.Throws<ArgumentException>(() => Arm.ParseList("only=models/a")).Message, StringComparison.Ordinal);
        Assert.Contains("named twice", Assert.Throws<ArgumentException>(() => Arm.ParseList("a=x,a=y")).Message, StringComparison.Ordinal);
        Assert.Contains("NAME=MODEL_FOLDER", Assert.Throws<ArgumentException>(() => Arm.ParseList("a=x,b")).Message, StringComparison.Ordinal);
        Assert.Contains("letters, digits", Assert.Throws<ArgumentException>(() => Arm.ParseList("a b=x,c=y")).Message, StringComparison.Ordinal);
    }
}

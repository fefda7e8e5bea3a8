namespace Funnel.Cli.Tests;

public sealed class ReadmeTests
{
    [Fact]
    public void The_first_screen_gives_the_demo_and_the_test_command()
    {
        var commands = FirstCodeBlock(File.ReadAllLines(Path.Combine(RepositoryPaths.Root(), "README.md")));

        Assert.Equal(["dotnet run --project src/Funnel.Cli -- demo", "dotnet test"], commands);
    }

    [Fact]
    public void Ci_runs_exactly_the_readme_test_command()
    {
        var readme = FirstCodeBlock(File.ReadAllLines(Path.Combine(RepositoryPaths.Root(), "README.md")));
        var ci = File.ReadAllLines(Path.Combine(RepositoryPaths.Root(), ".ci", "run"));

        Assert.Contains(readme[1], ci);
    }

    /// <summary>The commands of the README's first sh block, without their comments.</summary>
    private static List<string> FirstCodeBlock(string[] lines)
    {
        var start = Array.IndexOf(lines, "```sh") + 1;
        var end = Array.IndexOf(lines, "```", start);
        return lines[start..end].Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0).ToList();
    }
}

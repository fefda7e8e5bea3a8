using System.Xml.Linq;

namespace Funnel.Cli.Tests;

public sealed class ReadmeTests
{
    [Fact]
    public void The_first_screen_goes_from_a_clone_to_an_installed_funnel_and_a_movielens_slate()
    {
        var commands = FirstCodeBlock(File.ReadAllLines(Path.Combine(RepositoryPaths.Root(), "README.md")));

        Assert.Equal("dotnet pack src/Funnel.Cli -c Release", commands[0]);
        Assert.Equal("dotnet tool install --global funnel --add-source artifacts", commands[1]);
        int At(string prefix) => commands.FindIndex(c => c.StartsWith(prefix, StringComparison.Ordinal));
        var steps = new[] { "funnel import movielens", "funnel tune --data data/ml --out models/ml", "funnel train ranking --data data/ml --out models/ml", "funnel recommend --model models/ml", "funnel serve --model models/ml --history data/ml" }.Select(At).ToList();
        Assert.DoesNotContain(-1, steps);
        Assert.Equal(steps.Order(), steps);
        Assert.Contains("dotnet test", commands);
    }

    [Fact]
    public void The_tool_package_the_readme_installs_is_the_funnel_command_written_to_artifacts()
    {
        var project = XDocument.Load(Path.Combine(RepositoryPaths.Root(), "src", "Funnel.Cli", "Funnel.Cli.csproj"));
        string Property(string name) => project.Descendants(name).Single().Value;

        Assert.Equal("true", Property("PackAsTool"));
        Assert.Equal("funnel", Property("ToolCommandName"));
        Assert.Equal("funnel", Property("PackageId"));
        Assert.Equal(Path.Combine(RepositoryPaths.Root(), "artifacts"), Path.GetFullPath(Property("PackageOutputPath").Replace("$(MSBuildThisFileDirectory)", Path.Combine(RepositoryPaths.Root(), "src", "Funnel.Cli") + "/", StringComparison.Ordinal)));
    }

    [Fact]
    public void Ci_runs_exactly_the_readme_test_command()
    {
        var readme = FirstCodeBlock(File.ReadAllLines(Path.Combine(RepositoryPaths.Root(), "README.md")));
        var ci = File.ReadAllLines(Path.Combine(RepositoryPaths.Root(), ".ci", "run"));

        Assert.Contains(readme.Single(c => c.StartsWith("dotnet test", StringComparison.Ordinal)), ci);
    }

    /// <summary>The commands of the README's first sh block, without their comments.</summary>
    private static List<string> FirstCodeBlock(string[] lines)
    {
        var start = Array.IndexOf(lines, "```sh") + 1;
        var end = Array.IndexOf(lines, "```", start);
        return lines[start..end].Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0).ToList();
    }
}

using System.Reflection;
using System.Xml.Linq;

namespace Funnel.Architecture.Tests;

/// <summary>The architecture of docs/architecture.md, checked so it cannot rot.</summary>
public sealed class LayeringTests
{
    private static readonly string Root = RepositoryPaths.Root();

    private static IEnumerable<string> ProjectFiles() =>
        Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "bench"), "*.csproj", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static IEnumerable<(string Project, string Reference)> References(string kind) =>
        ProjectFiles().SelectMany(path => XDocument.Load(path).Descendants(kind)
            .Select(element => (Path.GetFileNameWithoutExtension(path), Path.GetFileNameWithoutExtension(element.Attribute("Include")!.Value.Replace('\\', '/')))));

    [Fact]
    public void Every_project_has_a_layer_and_every_layer_its_projects()
    {
        var projects = ProjectFiles().Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Layers.Order.SelectMany(layer => layer).Order(StringComparer.Ordinal), projects!);
    }

    [Fact]
    public void Every_source_project_has_a_test_project_of_its_name()
    {
        var missing = Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => !File.Exists(Path.Combine(Root, "tests", $"{name}.Tests", $"{name}.Tests.csproj")))
            .ToList();
        Assert.True(missing.Count == 0, "source projects without tests/<Project>.Tests: " + string.Join(", ", missing));
    }

    [Fact]
    public void Project_references_point_only_to_lower_layers()
    {
        var upward = References("ProjectReference")
            .Where(r => Layers.LayerOf(r.Reference) >= Layers.LayerOf(r.Project))
            .Select(r => $"{r.Project} → {r.Reference}")
            .ToList();
        Assert.True(upward.Count == 0, "references to the same or a higher layer: " + string.Join(", ", upward));
    }

    [Fact]
    public void Packages_are_referenced_only_by_the_project_that_owns_them()
    {
        var misplaced = References("PackageReference")
            .Where(r => Layers.PackageOwners.TryGetValue(r.Reference, out var owners) && !owners.Contains(r.Project))
            .Select(r => $"{r.Project} → {r.Reference}")
            .ToList();
        Assert.True(misplaced.Count == 0, "packages outside their owner: " + string.Join(", ", misplaced));
    }

    [Fact]
    public void Stage_assemblies_load_no_workflow_report_or_command_line_assembly()
    {
        var offences = new List<string>();
        foreach (var stage in Layers.Stages)
        {
            var layer = Layers.LayerOf(stage);
            foreach (var reference in Assembly.Load(stage).GetReferencedAssemblies().Select(a => a.Name!))
            {
                var aboveOrBeside = reference.StartsWith("Funnel.", StringComparison.Ordinal) && Layers.LayerOf(reference) >= layer;
                if (Layers.ForbiddenInStages.Contains(reference) || aboveOrBeside)
                {
                    offences.Add($"{stage} → {reference}");
                }
            }
        }
        Assert.True(offences.Count == 0, "stage libraries that load what lies above them: " + string.Join(", ", offences));
    }

    [Fact]
    public void Only_Torch_and_the_stages_above_it_use_TorchSharp_and_Retrieval_uses_none()
    {
        string[] withoutTorch = ["Funnel.Core", "Funnel.Data", "Funnel.Retrieval"];
        var users = withoutTorch.Where(name => Assembly.Load(name).GetReferencedAssemblies().Any(a => a.Name == "TorchSharp")).ToList();
        Assert.True(users.Count == 0, "TorchSharp used by: " + string.Join(", ", users));
    }

    [Fact]
    public void Every_type_lives_under_its_assemblys_namespace()
    {
        var strays = AllAssemblies()
            .SelectMany(assembly => assembly.GetTypes()
                .Where(t => t.Namespace is not null && !IsCompilerGenerated(t))
                .Where(t => t.Namespace != RootNamespace(assembly) && !t.Namespace!.StartsWith(RootNamespace(assembly) + ".", StringComparison.Ordinal))
                .Select(t => $"{t.FullName} in {assembly.GetName().Name}"))
            .ToList();
        Assert.True(strays.Count == 0, "types outside their assembly's namespace: " + string.Join(", ", strays));
    }

    [Fact]
    public void No_namespace_cycle_remains()
    {
        var cycles = NamespaceGraph.Cycles(NamespaceGraph.Build(AllAssemblies()));
        Assert.True(cycles.Count == 0, "namespaces that use each other: " + string.Join("; ", cycles.Select(c => string.Join(" ↔ ", c))));
    }

    [Fact]
    public void The_cycle_finder_finds_a_cycle()
    {
        // A → B → C → A plus a tail C → D: one cycle of three, D outside it.
        var edges = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A", "D"],
            ["D"] = [],
        };
        var cycle = Assert.Single(NamespaceGraph.Cycles(edges));
        Assert.Equal(["A", "B", "C"], cycle);
    }

    private static IEnumerable<Assembly> AllAssemblies() =>
        Layers.Order.SelectMany(layer => layer).Select(name => Assembly.Load(name == "Funnel.Cli" ? "funnel" : name));

    private static string RootNamespace(Assembly assembly) => assembly.GetName().Name == "funnel" ? "Funnel.Cli" : assembly.GetName().Name!;

    private static bool IsCompilerGenerated(Type type) => type.Name.StartsWith('<') || type.Namespace!.StartsWith("Microsoft.", StringComparison.Ordinal) || type.Namespace.StartsWith("System.", StringComparison.Ordinal);
}

namespace Funnel.Tests.Shared;

/// <summary>
/// The trait that sets the slow tests apart (whole-pipeline processes, real clusters), so that
/// <c>dotnet test --filter "Category!=Slow"</c> runs the rest in a couple of minutes while developing.
/// The full suite (CI, the README's command) runs them all.
/// </summary>
internal static class TestSpeed
{
    /// <summary>The trait's name.</summary>
    public const string Category = "Category";

    /// <summary>The value the fast subset leaves out.</summary>
    public const string Slow = "Slow";
}

using Funnel.Data.Model;

namespace Funnel.Ranking.Tests.Sources;

/// <summary>Eight videos and three users (two in one region) for the source-table tests.</summary>
internal static class TinyCatalogue
{
    public static readonly Video[] Videos = [.. Enumerable.Range(0, 8).Select(i => new Video($"v{i}", "", 0, 60, "", "", ""))];

    public static readonly User[] Users = [new("a", 30, Gender.Unknown, "north", "", ""), new("b", 30, Gender.Unknown, "north", "", ""), new("c", 30, Gender.Unknown, "south", "", "")];

    /// <summary>A whole 60-second watch.</summary>
    public static Watch W(int user, int video, long time) => new(user, video, time, 60, 1);
}

using Funnel.Data.Model;

namespace Funnel.Data.Examples;

/// <summary>
/// Region, device and language of every user as ids into small name tables; id 0 means unknown
/// (an empty value), so its embedding can stay zero like any out-of-vocabulary id.
/// </summary>
public sealed class UserCategories
{
    private UserCategories(string[] regionNames, string[] deviceNames, string[] languageNames, int[] region, int[] device, int[] language)
    {
        RegionNames = regionNames;
        DeviceNames = deviceNames;
        LanguageNames = languageNames;
        Region = region;
        Device = device;
        Language = language;
    }

    /// <summary>Region names by id; index 0 is the empty (unknown) region.</summary>
    public string[] RegionNames { get; }

    /// <summary>Device names by id; index 0 is unknown.</summary>
    public string[] DeviceNames { get; }

    /// <summary>Language names by id; index 0 is unknown.</summary>
    public string[] LanguageNames { get; }

    /// <summary>Region id of each user.</summary>
    public int[] Region { get; }

    /// <summary>Device id of each user.</summary>
    public int[] Device { get; }

    /// <summary>Language id of each user.</summary>
    public int[] Language { get; }

    /// <summary>Ids in order of first appearance, so the same users give the same ids.</summary>
    public static UserCategories Of(IReadOnlyList<User> users)
    {
        var (regionNames, region) = Index(users, u => u.Region);
        var (deviceNames, device) = Index(users, u => u.Device);
        var (languageNames, language) = Index(users, u => u.Language);
        return new UserCategories(regionNames, deviceNames, languageNames, region, device, language);
    }

    private static (string[] Names, int[] Ids) Index(IReadOnlyList<User> users, Func<User, string> value)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal) { [""] = 0 };
        var names = new List<string> { "" };
        var result = new int[users.Count];
        for (var u = 0; u < users.Count; u++)
        {
            var name = value(users[u]);
            if (!ids.TryGetValue(name, out var id))
            {
                id = names.Count;
                ids[name] = id;
                names.Add(name);
            }
            result[u] = id;
        }
        return ([.. names], result);
    }
}

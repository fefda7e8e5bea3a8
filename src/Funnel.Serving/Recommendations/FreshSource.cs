using Funnel.Data.Model;
using Funnel.Serving.Models;
using Funnel.Serving.State;

namespace Funnel.Serving.Recommendations;

/// <summary>
/// The fresh-uploads candidate source: videos added at serving time that the candidate model does
/// not know (no embedding yet), matched to the user by the channels, topics and languages of their
/// watches. Score: 2 for a watched channel, 1 per shared topic, ½ for a watched language; ties go
/// to the newer upload. Only videos that match at all are nominated.
/// </summary>
public static class FreshSource
{
    /// <summary>The source name items carry.</summary>
    public const string Name = "fresh";

    /// <summary>Up to <paramref name="count"/> uploads for a user who watched <paramref name="watched"/>, none of <paramref name="excluded"/>.</summary>
    public static IReadOnlyList<Video> Nominate(IReadOnlyDictionary<string, Video> uploads, ServingModel model, IReadOnlyList<Video> watched, IReadOnlySet<string> excluded, int count)
    {
        if (uploads.Count == 0 || watched.Count == 0 || count <= 0)
        {
            return [];
        }
        var channels = watched.Select(v => v.Channel).Where(c => c.Length > 0).ToHashSet(StringComparer.Ordinal);
        var topics = watched.SelectMany(ServingCatalogue.TopicNames).ToHashSet(StringComparer.Ordinal);
        var languages = watched.Select(v => v.Language).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
        return [.. uploads.Values
            .Where(v => model.CandidateRow(v.Id) is null && !excluded.Contains(v.Id))
            .Select(v => (Video: v, Score: (channels.Contains(v.Channel) ? 2.0 : 0) + ServingCatalogue.TopicNames(v).Distinct(StringComparer.Ordinal).Count(topics.Contains) + (languages.Contains(v.Language) ? 0.5 : 0)))
            .Where(p => p.Score > 0)
            .OrderByDescending(p => p.Score)
            .ThenByDescending(p => p.Video.UploadTime)
            .ThenBy(p => p.Video.Id, StringComparer.Ordinal)
            .Take(count)
            .Select(p => p.Video)];
    }
}

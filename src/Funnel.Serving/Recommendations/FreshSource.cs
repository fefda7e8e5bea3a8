using Funnel.Data.Model;
using Funnel.Serving.Models;
using Funnel.Serving.State;

namespace Funnel.Serving.Recommendations;

/// <summary>
/// The fresh-uploads candidate source: videos added at serving time that the candidate model does
/// not know (no embedding yet), matched to the user by the channels, topics and languages of their
/// watches. Score: 2 for a watched channel, 1 per shared topic, ½ for a watched language; ties go
/// to the newer upload. Only videos that match at all are nominated, only those published by the
/// request's time (an upload may be posted ahead with a later upload time: a scheduled premiere),
/// and only the uploads indexed under the user's channels, topics and languages are looked at.
/// </summary>
public static class FreshSource
{
    /// <summary>The source name items carry.</summary>
    public const string Name = "fresh";

    /// <summary>Up to <paramref name="count"/> uploads published by <paramref name="now"/> for a user who watched <paramref name="watched"/>, none of <paramref name="excluded"/>.</summary>
    public static IReadOnlyList<Video> Nominate(FreshUploads.Snapshot uploads, ServingModel model, IReadOnlyList<Video> watched, IReadOnlySet<string> excluded, int count, long now)
    {
        if (uploads.Videos.IsEmpty || watched.Count == 0 || count <= 0)
        {
            return [];
        }
        var scores = new Dictionary<Video, double>();
        void Score(IReadOnlyDictionary<string, Video[]> index, IEnumerable<string> keys, double points, int? most = null)
        {
            foreach (var key in keys.Distinct(StringComparer.Ordinal))
            {
                // A language holds most uploads: its newest are enough, as a language match ranks last.
                foreach (var video in index.GetValueOrDefault(key, []).Where(v => v.UploadTime <= now).Take(most ?? int.MaxValue))
                {
                    if (model.CandidateRow(video.Id) is null && !excluded.Contains(video.Id))
                    {
                        scores[video] = scores.GetValueOrDefault(video) + points;
                    }
                }
            }
        }
        Score(uploads.ByChannel, watched.Select(v => v.Channel).Where(c => c.Length > 0), 2);
        Score(uploads.ByTopic, watched.SelectMany(ServingCatalogue.TopicNames), 1);
        Score(uploads.ByLanguage, watched.Select(v => v.Language).Where(l => l.Length > 0), 0.5, count);
        return [.. scores
            .OrderByDescending(p => p.Value)
            .ThenByDescending(p => p.Key.UploadTime)
            .ThenBy(p => p.Key.Id, StringComparer.Ordinal)
            .Take(count)
            .Select(p => p.Key)];
    }
}

using System.Collections.Immutable;
using Funnel.Data.Model;

namespace Funnel.Serving.State;

/// <summary>
/// The videos added at serving time, in memory for the fresh-uploads source: one immutable snapshot,
/// replaced whole on every change (an admin call), so a request reads it without a lock. The
/// snapshot indexes the uploads by channel, topic and language, newest first, so a request looks
/// only at the uploads that can match the user instead of scanning them all.
/// </summary>
public sealed class FreshUploads
{
    private Snapshot current = Snapshot.Of(ImmutableDictionary.Create<string, Video>(StringComparer.Ordinal));
    private readonly Lock writing = new();

    /// <summary>Every upload by id.</summary>
    public IReadOnlyDictionary<string, Video> Videos => Volatile.Read(ref current).Videos;

    /// <summary>The current snapshot with its indexes.</summary>
    public Snapshot Current => Volatile.Read(ref current);

    /// <summary>Adds or replaces uploads (by id).</summary>
    public void Put(IEnumerable<Video> added)
    {
        lock (writing)
        {
            Volatile.Write(ref current, Snapshot.Of(current.Videos.SetItems(added.Select(v => KeyValuePair.Create(v.Id, v)))));
        }
    }

    /// <summary>The uploads at one moment, by id and by what they can be matched on (newest first in each list).</summary>
    /// <param name="Videos">Every upload by id.</param>
    /// <param name="ByChannel">Uploads per channel.</param>
    /// <param name="ByTopic">Uploads per topic label.</param>
    /// <param name="ByLanguage">Uploads per language.</param>
    public sealed record Snapshot(
        ImmutableDictionary<string, Video> Videos,
        IReadOnlyDictionary<string, Video[]> ByChannel,
        IReadOnlyDictionary<string, Video[]> ByTopic,
        IReadOnlyDictionary<string, Video[]> ByLanguage)
    {
        /// <summary>Indexes a set of uploads.</summary>
        public static Snapshot Of(ImmutableDictionary<string, Video> videos)
        {
            var newest = videos.Values.OrderByDescending(v => v.UploadTime).ThenBy(v => v.Id, StringComparer.Ordinal).ToList();
            return new Snapshot(
                videos,
                Index(newest.Where(v => v.Channel.Length > 0).Select(v => (v.Channel, v))),
                Index(newest.SelectMany(v => ServingCatalogue.TopicNames(v).Distinct(StringComparer.Ordinal).Select(t => (t, v)))),
                Index(newest.Where(v => v.Language.Length > 0).Select(v => (v.Language, v))));
        }

        private static Dictionary<string, Video[]> Index(IEnumerable<(string Key, Video Video)> pairs) =>
            pairs.GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Video).ToArray(), StringComparer.Ordinal);
    }
}

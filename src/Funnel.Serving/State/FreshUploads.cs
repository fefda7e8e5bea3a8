using System.Collections.Immutable;
using Funnel.Data.Model;

namespace Funnel.Serving.State;

/// <summary>
/// The videos added at serving time, in memory for the fresh-uploads source: replaced whole on
/// every change, so a request reads one consistent snapshot without a lock.
/// </summary>
public sealed class FreshUploads
{
    private ImmutableDictionary<string, Video> videos = ImmutableDictionary.Create<string, Video>(StringComparer.Ordinal);
    private readonly Lock writing = new();

    /// <summary>Every upload by id.</summary>
    public IReadOnlyDictionary<string, Video> Videos => Volatile.Read(ref videos);

    /// <summary>Adds or replaces uploads (by id).</summary>
    public void Put(IEnumerable<Video> added)
    {
        lock (writing)
        {
            Volatile.Write(ref videos, videos.SetItems(added.Select(v => KeyValuePair.Create(v.Id, v))));
        }
    }
}

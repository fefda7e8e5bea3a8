using Funnel.Data.Model;
using Funnel.Ranking.Examples;
using Funnel.Ranking.Features;

namespace Funnel.Serving.State;

/// <summary>The videos the service knows, by external id, with the facts the ranking counters need.</summary>
public sealed class ServingCatalogue
{
    private readonly Dictionary<string, int> indexOf;

    /// <summary>Indexes a catalogue and its popularity order.</summary>
    public ServingCatalogue(IReadOnlyList<Video> videos, IReadOnlyList<string> popular)
    {
        Videos = videos;
        Facts = RankingExampleBuilder.Facts(videos);
        indexOf = new Dictionary<string, int>(videos.Count, StringComparer.Ordinal);
        for (var i = 0; i < videos.Count; i++)
        {
            indexOf.TryAdd(videos[i].Id, i);
        }
        Popular = [.. popular.Where(indexOf.ContainsKey)];
    }

    /// <summary>Every video, by catalogue index.</summary>
    public IReadOnlyList<Video> Videos { get; }

    /// <summary>Channel and topic indices of every video.</summary>
    public IReadOnlyList<VideoFacts> Facts { get; }

    /// <summary>Known video ids by popularity, most popular first.</summary>
    public IReadOnlyList<string> Popular { get; }

    /// <summary>The catalogue index of a video id, or -1.</summary>
    public int IndexOf(string videoId) => indexOf.GetValueOrDefault(videoId, -1);

    /// <summary>Whether the catalogue has the video.</summary>
    public bool Contains(string videoId) => indexOf.ContainsKey(videoId);
}

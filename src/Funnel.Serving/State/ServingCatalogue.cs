using Funnel.Data.Model;
using Funnel.Ranking.Examples;
using Funnel.Ranking.Features;

namespace Funnel.Serving.State;

/// <summary>The videos the service knows, by external id, with the facts the ranking counters need.</summary>
public sealed class ServingCatalogue
{
    private readonly Dictionary<string, int> indexOf;
    private readonly Dictionary<string, int> channelIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> topicIndex = new(StringComparer.Ordinal);

    /// <summary>Indexes a catalogue and its popularity order.</summary>
    public ServingCatalogue(IReadOnlyList<Video> videos, IReadOnlyList<string> popular)
    {
        Videos = videos;
        Facts = RankingExampleBuilder.Facts(videos);
        indexOf = new Dictionary<string, int>(videos.Count, StringComparer.Ordinal);
        for (var i = 0; i < videos.Count; i++)
        {
            indexOf.TryAdd(videos[i].Id, i);
            if (videos[i].Channel.Length > 0)
            {
                channelIndex.TryAdd(videos[i].Channel, Facts[i].Channel);
            }
            foreach (var (topic, index) in TopicNames(videos[i]).Zip(Facts[i].Topics))
            {
                topicIndex.TryAdd(topic, index);
            }
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

    /// <summary>
    /// The counters' facts of a video the catalogue may not hold (an upload since training): its
    /// channel's and topics' indices where the catalogue knows them (−1 and none otherwise), so a
    /// fresh video's "since the last watch of this channel / topic" counters are the user's real ones.
    /// </summary>
    public VideoFacts FactsOf(Video video) =>
        IndexOf(video.Id) is var known and >= 0 && Videos[known] == video
            ? Facts[known]
            : new VideoFacts(
                channelIndex.GetValueOrDefault(video.Channel, -1),
                [.. TopicNames(video).Select(topic => topicIndex.GetValueOrDefault(topic, -1)).Where(t => t >= 0)]);

    /// <summary>A video's topic labels.</summary>
    public static string[] TopicNames(Video video) => video.Topics.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Whether the catalogue has the video.</summary>
    public bool Contains(string videoId) => indexOf.ContainsKey(videoId);
}

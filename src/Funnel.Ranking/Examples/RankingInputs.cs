using System.Collections;
using Funnel.Data.Model;
using Funnel.Data.Storage;
using Funnel.Ranking.Features;

namespace Funnel.Ranking.Examples;

/// <summary>The <see cref="RankingInput"/> of a logged impression: the example's state with the dataset's catalogue and user facts.</summary>
public static class RankingInputs
{
    /// <summary>The input of one example.</summary>
    public static RankingInput From(in RankingExample example, Dataset dataset)
    {
        var video = dataset.Videos[example.Video];
        var user = dataset.Users[example.User];
        return new RankingInput(
            video.Id,
            video.Channel,
            video.Language,
            video.UploadTime,
            video.DurationSeconds,
            user.Language,
            user.Device,
            user.Region,
            new VideoIds(example.State.RecentWatches, dataset.Videos),
            example.State.Counters,
            example.Nomination,
            example.Time,
            example.Signals);
    }

    /// <summary>Dense video indices seen as external ids, without copying.</summary>
    private sealed class VideoIds(int[] indices, IReadOnlyList<Video> videos) : IReadOnlyList<string>
    {
        public string this[int index] => videos[indices[index]].Id;

        public int Count => indices.Length;

        public IEnumerator<string> GetEnumerator() => indices.Select(i => videos[i].Id).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

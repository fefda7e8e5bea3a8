using Funnel.Core;
using Funnel.Data.Storage;

namespace Funnel.Data.Examples;

/// <summary>Reads a dataset's watches and searches into <see cref="Timelines"/>, one row group at a time.</summary>
public static class TimelineLoader
{
    /// <summary>Loads all users' timelines; errors name the table when it breaks the (user, time) order.</summary>
    public static async Task<Timelines> LoadAsync(Dataset dataset, CancellationToken cancellation = default)
    {
        var counts = dataset.Manifest.Counts;
        if (counts.Watches > int.MaxValue || counts.Searches > int.MaxValue)
        {
            throw new NotSupportedException($"{dataset.Directory}: {counts.Watches} watches and {counts.Searches} searches exceed one in-memory timeline set ({int.MaxValue})");
        }
        var users = dataset.Users.Count;
        var watchUser = new int[counts.Watches];
        var watchVideo = new int[counts.Watches];
        var watchTime = new long[counts.Watches];
        var watchCompletion = new float[counts.Watches];
        await dataset.ReadWatchColumnsAsync(watchUser, watchVideo, watchTime, watchCompletion, cancellation).ConfigureAwait(false);
        var watchStart = new int[users + 1];
        var videos = dataset.Videos.Count;
        for (var i = 0; i < watchUser.Length; i++)
        {
            CheckReference(dataset, "watches", i, watchUser[i], users, watchVideo[i], videos);
            if (i > 0 && (watchUser[i] < watchUser[i - 1] || (watchUser[i] == watchUser[i - 1] && watchTime[i] < watchTime[i - 1])))
            {
                throw new DataFormatException(DatasetWriter.TablePath(dataset.Directory, "watches"), $"row {i + 1} breaks the (user, time) order: the dataset is damaged; re-import it");
            }
            watchStart[watchUser[i] + 1]++;
        }
        Accumulate(watchStart);

        var searchStart = new int[users + 1];
        var searchTime = new long[counts.Searches];
        var searchTokenStart = new int[counts.Searches + 1];
        var tokens = new List<int>();
        var tokenIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var tokenNames = new List<string>();
        var queryTokens = new List<string>();
        var next = 0;
        await foreach (var chunk in dataset.ReadSearchesAsync(cancellation).ConfigureAwait(false))
        {
            foreach (var search in chunk)
            {
                CheckReference(dataset, "searches", next, search.User, users, 0, 1);
                searchStart[search.User + 1]++;
                searchTime[next] = search.Time;
                queryTokens.Clear();
                QueryTokenizer.Tokenize(search.Query, queryTokens);
                foreach (var token in queryTokens)
                {
                    if (!tokenIds.TryGetValue(token, out var id))
                    {
                        id = tokenNames.Count;
                        tokenIds[token] = id;
                        tokenNames.Add(token);
                    }
                    tokens.Add(id);
                }
                next++;
                searchTokenStart[next] = tokens.Count;
            }
        }
        Accumulate(searchStart);

        return new Timelines(
            dataset.Users,
            dataset.Videos,
            watchStart,
            watchVideo,
            watchTime,
            watchCompletion,
            searchStart,
            searchTime,
            searchTokenStart,
            [.. tokens],
            [.. tokenNames],
            UserCategories.Of(dataset.Users),
            dataset.Manifest.StartTime,
            dataset.Manifest.EndTime);
    }

    private static void CheckReference(Dataset dataset, string table, int row, int user, int users, int video, int videos)
    {
        if ((uint)user >= (uint)users || (uint)video >= (uint)videos)
        {
            throw new DataFormatException(
                DatasetWriter.TablePath(dataset.Directory, table),
                $"row {row + 1} refers to user {user} / video {video}, outside the dataset's {users} users and {videos} videos");
        }
    }

    /// <summary>Turns per-user counts at [u + 1] into start offsets.</summary>
    private static void Accumulate(int[] starts)
    {
        for (var i = 1; i < starts.Length; i++)
        {
            starts[i] += starts[i - 1];
        }
    }
}

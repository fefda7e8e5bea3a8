using Funnel.Data.Model;

namespace Funnel.Data.Examples;

/// <summary>
/// Every user's watches and searches in time order, held in flat arrays (about 16 bytes per watch),
/// with each user's slice given by start offsets. Examples and queries refer into these arrays
/// instead of copying histories, so a dataset's examples cost a few bytes each.
/// </summary>
public sealed class Timelines
{
    internal Timelines(
        IReadOnlyList<User> users,
        IReadOnlyList<Video> videos,
        int[] watchStart,
        int[] watchVideo,
        long[] watchTime,
        float[] watchCompletion,
        int[] searchStart,
        long[] searchTime,
        int[] searchTokenStart,
        int[] searchTokens,
        string[] tokenNames,
        UserCategories categories,
        long startTime,
        long endTime)
    {
        Users = users;
        Videos = videos;
        WatchStart = watchStart;
        WatchVideo = watchVideo;
        WatchTime = watchTime;
        WatchCompletion = watchCompletion;
        SearchStart = searchStart;
        SearchTime = searchTime;
        SearchTokenStart = searchTokenStart;
        SearchTokens = searchTokens;
        TokenNames = tokenNames;
        Categories = categories;
        StartTime = startTime;
        EndTime = endTime;
    }

    /// <summary>Users in dense-index order.</summary>
    public IReadOnlyList<User> Users { get; }

    /// <summary>Videos in dense-index order (the key range of the video vocabulary).</summary>
    public IReadOnlyList<Video> Videos { get; }

    /// <summary>Videos in the dataset.</summary>
    public int VideoCount => Videos.Count;

    /// <summary>User u's watches are [WatchStart[u], WatchStart[u + 1]) of the watch arrays.</summary>
    public int[] WatchStart { get; }

    /// <summary>Dense video index of each watch.</summary>
    public int[] WatchVideo { get; }

    /// <summary>Time of each watch, Unix seconds, ascending within a user.</summary>
    public long[] WatchTime { get; }

    /// <summary>Completion of each watch (NaN when unknown).</summary>
    public float[] WatchCompletion { get; }

    /// <summary>User u's searches are [SearchStart[u], SearchStart[u + 1]) of the search arrays.</summary>
    public int[] SearchStart { get; }

    /// <summary>Time of each search, ascending within a user.</summary>
    public long[] SearchTime { get; }

    /// <summary>Search s's tokens are [SearchTokenStart[s], SearchTokenStart[s + 1]) of <see cref="SearchTokens"/>.</summary>
    public int[] SearchTokenStart { get; }

    /// <summary>Token ids (indices into <see cref="TokenNames"/>) of all searches.</summary>
    public int[] SearchTokens { get; }

    /// <summary>Every distinct token seen, by id.</summary>
    public string[] TokenNames { get; }

    /// <summary>Users' region, device and language as small category ids.</summary>
    public UserCategories Categories { get; }

    /// <summary>Earliest event time.</summary>
    public long StartTime { get; }

    /// <summary>Latest event time.</summary>
    public long EndTime { get; }

    /// <summary>Number of users.</summary>
    public int UserCount => Users.Count;

    /// <summary>Total watches.</summary>
    public int WatchCount => WatchVideo.Length;

    /// <summary>
    /// The first watch index of the user at or after <paramref name="time"/>: the user's history
    /// strictly before that time is [WatchStart[user], result).
    /// </summary>
    public int WatchesBefore(int user, long time) => LowerBound(WatchTime, WatchStart[user], WatchStart[user + 1], time);

    /// <summary>The first search index of the user at or after <paramref name="time"/>.</summary>
    public int SearchesBefore(int user, long time) => LowerBound(SearchTime, SearchStart[user], SearchStart[user + 1], time);

    private static int LowerBound(long[] times, int from, int to, long time)
    {
        while (from < to)
        {
            var middle = from + ((to - from) >> 1);
            if (times[middle] < time)
            {
                from = middle + 1;
            }
            else
            {
                to = middle;
            }
        }
        return from;
    }
}

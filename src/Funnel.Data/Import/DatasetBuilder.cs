using Funnel.Data.Model;
using Funnel.Data.Storage;

namespace Funnel.Data.Import;

/// <summary>
/// Gathers an import in memory: maps external user and video ids to dense indices in order of first
/// appearance, collects events, then sorts them by (user, time) and writes the dataset atomically.
/// Memory is about 32 bytes per event: fine for logs up to tens of millions of events.
/// </summary>
public sealed class DatasetBuilder
{
    private readonly Dictionary<string, int> userIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> videoIndex = new(StringComparer.Ordinal);
    private readonly List<User> users = [];
    private readonly List<Video> videos = [];
    private readonly List<Watch> watches = [];
    private readonly List<Search> searches = [];
    private readonly List<Impression> impressions = [];

    /// <summary>Users added so far, in dense-index order.</summary>
    public IReadOnlyList<User> Users => users;

    /// <summary>Videos added so far, in dense-index order.</summary>
    public IReadOnlyList<Video> Videos => videos;

    /// <summary>Adds a user with its demographics; returns false if the id is already present.</summary>
    public bool TryAddUser(User user)
    {
        if (userIndex.ContainsKey(user.Id))
        {
            return false;
        }
        userIndex[user.Id] = users.Count;
        users.Add(user);
        return true;
    }

    /// <summary>Adds a video; returns false if the id is already present.</summary>
    public bool TryAddVideo(Video video)
    {
        if (videoIndex.ContainsKey(video.Id))
        {
            return false;
        }
        videoIndex[video.Id] = videos.Count;
        videos.Add(video);
        return true;
    }

    /// <summary>The dense index of a known user.</summary>
    public bool TryGetUser(string id, out int index) => userIndex.TryGetValue(id, out index);

    /// <summary>The dense index of a known video.</summary>
    public bool TryGetVideo(string id, out int index) => videoIndex.TryGetValue(id, out index);

    /// <summary>The dense index of a user, adding one with unknown demographics if new.</summary>
    public int UserOrAdd(string id)
    {
        if (!userIndex.TryGetValue(id, out var index))
        {
            index = users.Count;
            userIndex[id] = index;
            users.Add(new User(id, 0, Gender.Unknown, "", "", ""));
        }
        return index;
    }

    /// <summary>The dense index of a video, adding one with unknown metadata if new.</summary>
    public int VideoOrAdd(string id)
    {
        if (!videoIndex.TryGetValue(id, out var index))
        {
            index = videos.Count;
            videoIndex[id] = index;
            videos.Add(new Video(id, "", 0, 0f, "", "", ""));
        }
        return index;
    }

    /// <summary>Records a watch.</summary>
    public void Add(Watch watch) => watches.Add(watch);

    /// <summary>Watches added so far.</summary>
    public int WatchCount => watches.Count;

    /// <summary>Records a search.</summary>
    public void Add(Search search) => searches.Add(search);

    /// <summary>Records an impression.</summary>
    public void Add(Impression impression) => impressions.Add(impression);

    /// <summary>Sorts the events by (user, time, arrival order) and writes the dataset atomically.</summary>
    public async Task<DatasetManifest> WriteAsync(string path, bool overwrite, string name, string source, IReadOnlyDictionary<string, string>? properties = null, CancellationToken cancellation = default)
    {
        await using var writer = DatasetWriter.Create(path, overwrite);
        await writer.WriteUsersAsync(users, cancellation).ConfigureAwait(false);
        await writer.WriteVideosAsync(videos, cancellation).ConfigureAwait(false);
        await writer.AppendWatchesAsync(SortByUserTime(watches, w => w.User, w => w.Time), cancellation).ConfigureAwait(false);
        await writer.AppendSearchesAsync(SortByUserTime(searches, s => s.User, s => s.Time), cancellation).ConfigureAwait(false);
        await writer.AppendImpressionsAsync(SortByUserTime(impressions, i => i.User, i => i.Time), cancellation).ConfigureAwait(false);
        return await writer.CommitAsync(name, source, properties, cancellation).ConfigureAwait(false);
    }

    /// <summary>A stable sort: ties keep arrival order, so the same input always gives the same dataset.</summary>
    internal static T[] SortByUserTime<T>(List<T> rows, Func<T, int> user, Func<T, long> time)
    {
        var keys = new (int User, long Time, int Arrival)[rows.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = (user(rows[i]), time(rows[i]), i);
        }
        Array.Sort(keys);
        var sorted = new T[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            sorted[i] = rows[keys[i].Arrival];
        }
        return sorted;
    }
}

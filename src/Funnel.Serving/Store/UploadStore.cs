using System.Text.Json;
using Funnel.Core;
using Funnel.Data.Model;
using StackExchange.Redis;

namespace Funnel.Serving.Store;

/// <summary>
/// Videos added to the catalogue at serving time (POST /admin/videos), kept in the store beside the
/// events so they outlive a restart: one hash, video id → the video as JSON. Each write is one
/// HSET, atomic and committed before its reply (no MULTI/EXEC: docs/serving.md).
/// </summary>
public sealed class UploadStore(IConnectionMultiplexer connection)
{
    internal static readonly RedisKey Key = "funnel:uploads";

    private readonly IDatabase database = connection.GetDatabase();

    /// <summary>Adds or replaces the videos; returns once the store has them.</summary>
    public Task PutAsync(IReadOnlyList<Video> videos) =>
        database.HashSetAsync(Key, [.. videos.Select(v => new HashEntry(v.Id, JsonSerializer.Serialize(v, FunnelJson.Files)))]);

    /// <summary>Every stored upload; an entry that does not parse is reported through <paramref name="unreadable"/> and skipped.</summary>
    public async Task<IReadOnlyList<Video>> ReadAllAsync(Action<string>? unreadable = null)
    {
        var entries = await database.HashGetAllAsync(Key).ConfigureAwait(false);
        var videos = new List<Video>(entries.Length);
        foreach (var entry in entries)
        {
            try
            {
                videos.Add(JsonSerializer.Deserialize<Video>(entry.Value.ToString(), FunnelJson.Files) ?? throw new JsonException("null"));
            }
            catch (JsonException error)
            {
                unreadable?.Invoke($"{Key} field {entry.Name}: {error.Message}");
            }
        }
        return videos;
    }
}

using System.Globalization;

namespace Funnel.Serving.Store;

/// <summary>What a user did, as the service records it.</summary>
public enum UserEventKind
{
    /// <summary>Watched a video.</summary>
    Watch,

    /// <summary>Typed a search query.</summary>
    Search,

    /// <summary>Was shown a video (and clicked it or not).</summary>
    Impression,
}

/// <summary>
/// One stored event of a user. Stored as one tab-separated line per event (kind, time, then the
/// kind's fields; queries have their tabs and line breaks replaced by spaces), compact and readable
/// with any Redis client.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Time">When, in Unix seconds.</param>
/// <param name="VideoId">The video (watches and impressions).</param>
/// <param name="WatchSeconds">Seconds watched (watches).</param>
/// <param name="Query">The query text (searches).</param>
/// <param name="Position">0-based slate position (impressions).</param>
/// <param name="Clicked">Whether the impression was clicked.</param>
public sealed record UserEvent(UserEventKind Kind, long Time, string VideoId = "", float WatchSeconds = 0, string Query = "", int Position = 0, bool Clicked = false)
{
    /// <summary>The watched videos of <paramref name="events"/> in time order (stored order among equal times), as the state replays them.</summary>
    public static List<string> WatchedInTimeOrder(IEnumerable<UserEvent> events) =>
        [.. events.Where(e => e.Kind == UserEventKind.Watch).OrderBy(e => e.Time).Select(e => e.VideoId)];

    /// <summary>The stored line.</summary>
    public string Encode() => Kind switch
    {
        UserEventKind.Watch => string.Create(CultureInfo.InvariantCulture, $"w\t{Time}\t{VideoId}\t{WatchSeconds}"),
        UserEventKind.Search => string.Create(CultureInfo.InvariantCulture, $"s\t{Time}\t{Query.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ')}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"i\t{Time}\t{VideoId}\t{Position}\t{(Clicked ? 1 : 0)}"),
    };

    /// <summary>Parses a stored line; a line this version cannot read is an error naming it.</summary>
    public static UserEvent Decode(string line)
    {
        var fields = line.Split('\t');
        try
        {
            var time = long.Parse(fields[1], CultureInfo.InvariantCulture);
            return fields[0] switch
            {
                "w" when fields.Length == 4 => new UserEvent(UserEventKind.Watch, time, fields[2], float.Parse(fields[3], CultureInfo.InvariantCulture)),
                "s" when fields.Length == 3 => new UserEvent(UserEventKind.Search, time, Query: fields[2]),
                "i" when fields.Length == 5 => new UserEvent(UserEventKind.Impression, time, fields[2], Position: int.Parse(fields[3], CultureInfo.InvariantCulture), Clicked: fields[4] == "1"),
                _ => throw new FormatException("unknown kind or field count"),
            };
        }
        catch (Exception error) when (error is FormatException or OverflowException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"stored event '{line}' cannot be read: {error.Message}", error);
        }
    }
}

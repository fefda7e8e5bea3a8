using Funnel.Data.Model;
using Funnel.Serving.Contracts;

namespace Funnel.Serving.Store;

/// <summary>A user's logged events (a dataset's rows) as the service stores them, oldest first.</summary>
public static class LoggedEvents
{
    /// <summary>
    /// The user's watches, searches and impressions strictly before <paramref name="before"/>, in
    /// time order (at equal times: watch, search, impression). Watch seconds a source did not record
    /// (NaN) become 0, which the state reads as "watched, length unknown".
    /// </summary>
    public static List<UserEvent> Before(IReadOnlyList<Video> videos, IEnumerable<Watch> watches, IEnumerable<Search> searches, IEnumerable<Impression> impressions, long before) =>
        [.. watches.Where(w => w.Time < before).Select(w => (Order: 0, Event: new UserEvent(UserEventKind.Watch, w.Time, videos[w.Video].Id, float.IsFinite(w.WatchSeconds) ? w.WatchSeconds : 0)))
            .Concat(searches.Where(s => s.Time < before).Select(s => (Order: 1, Event: new UserEvent(UserEventKind.Search, s.Time, Query: s.Query))))
            .Concat(impressions.Where(m => m.Time < before).Select(m => (Order: 2, Event: new UserEvent(UserEventKind.Impression, m.Time, videos[m.Video].Id, Position: m.Position, Clicked: m.Clicked))))
            .OrderBy(e => e.Event.Time)
            .ThenBy(e => e.Order)
            .Select(e => e.Event)];

    /// <summary>The same events as the API's requests, to post through <c>POST /v1/events</c>.</summary>
    public static List<EventRequest> Requests(IReadOnlyList<Video> videos, IEnumerable<Watch> watches, IEnumerable<Search> searches, IEnumerable<Impression> impressions, long before) =>
        [.. Before(videos, watches, searches, impressions, before).Select(Request)];

    /// <summary>A stored event as the API's request for it.</summary>
    public static EventRequest Request(UserEvent stored) => stored.Kind switch
    {
        UserEventKind.Watch => new EventRequest("watch", stored.VideoId, WatchSeconds: stored.WatchSeconds, Time: stored.Time),
        UserEventKind.Search => new EventRequest("search", Query: stored.Query, Time: stored.Time),
        _ => new EventRequest("impression", stored.VideoId, Position: stored.Position, Clicked: stored.Clicked, Time: stored.Time),
    };
}

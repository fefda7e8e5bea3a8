using Funnel.Ranking.Features;
using Funnel.Serving.Store;

namespace Funnel.Serving.State;

/// <summary>
/// A user's state at request time, rebuilt from their stored events through the same
/// <see cref="UserActivity"/> the training replay uses: events in time order (stored order among
/// equal times), videos the catalogue does not know (e.g. after a model swap) left out.
/// </summary>
public static class LiveState
{
    /// <summary>The user's activity after all of <paramref name="events"/>.</summary>
    public static UserActivity Replay(IReadOnlyList<UserEvent> events, ServingCatalogue catalogue)
    {
        var activity = new UserActivity();
        foreach (var e in events.OrderBy(e => e.Time))
        {
            switch (e.Kind)
            {
                case UserEventKind.Search:
                    activity.RecordSearch(e.Query);
                    break;
                case UserEventKind.Watch when catalogue.IndexOf(e.VideoId) is var video and >= 0:
                    activity.RecordWatch(video, catalogue.Facts[video].Channel, catalogue.Facts[video].Topics, e.Time);
                    break;
                case UserEventKind.Impression when catalogue.IndexOf(e.VideoId) is var shown and >= 0:
                    activity.RecordImpression(shown, catalogue.Facts[shown].Channel);
                    break;
            }
        }
        return activity;
    }
}

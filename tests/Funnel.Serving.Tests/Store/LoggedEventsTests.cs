using Funnel.Data.Model;
using Funnel.Serving.Store;

namespace Funnel.Serving.Tests.Store;

public class LoggedEventsTests
{
    [Fact]
    public void Logged_rows_become_stored_events_in_time_order_up_to_the_cut()
    {
        Video[] videos = [new("v0", "", 0, 60, "", "", ""), new("v1", "", 0, 60, "", "", "")];
        Watch[] watches = [new(0, 1, 30, 12.5f, 0.2f), new(0, 0, 10, float.NaN, float.NaN), new(0, 1, 99, 5, 0.1f)];
        Search[] searches = [new(0, 30, "cats")];
        Impression[] impressions = [new(0, 0, 30, 7, 2, true, 12.5f)];

        var events = LoggedEvents.Before(videos, watches, searches, impressions, before: 99);

        Assert.Equal(
            [
                new UserEvent(UserEventKind.Watch, 10, "v0", 0),
                new UserEvent(UserEventKind.Watch, 30, "v1", 12.5f),
                new UserEvent(UserEventKind.Search, 30, Query: "cats"),
                new UserEvent(UserEventKind.Impression, 30, "v0", Position: 2, Clicked: true),
            ],
            events);
    }
}

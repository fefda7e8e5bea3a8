using Funnel.Data.Model;
using Funnel.Ranking.Features;

namespace Funnel.Ranking.Tests;

/// <summary>The serving side of the parity tests: a fresh state fed one user's raw events strictly before a time, in log order.</summary>
internal static class ServingState
{
    public static UserActivity Before(int user, long time, IEnumerable<Watch> watches, IEnumerable<Search> searches, IEnumerable<Impression> impressions, IReadOnlyList<VideoFacts> videos)
    {
        var state = new UserActivity();
        foreach (var watch in watches.Where(w => w.User == user && w.Time < time))
        {
            state.RecordWatch(watch.Video, videos[watch.Video].Channel, videos[watch.Video].Topics, watch.Time);
        }
        foreach (var search in searches.Where(s => s.User == user && s.Time < time))
        {
            state.RecordSearch(search.Query);
        }
        foreach (var shown in impressions.Where(m => m.User == user && m.Time < time))
        {
            state.RecordImpression(shown.Video, videos[shown.Video].Channel);
        }
        return state;
    }
}

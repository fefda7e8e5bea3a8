using Funnel.Data.Model;
using Funnel.Serving.Models;
using Funnel.Serving.Recommendations;
using Funnel.Serving.State;

namespace Funnel.Serving.Tests.Recommendations;

[Collection(ServingTests.Name)]
public sealed class FreshSourceTests(ServedModel served)
{
    private static readonly Video Watched = new("w", "chan-a", 100, 60, "de", "", "cats dogs");

    private const long Now = 1_000;

    [Fact]
    public async Task Matches_rank_by_channel_topics_and_language_newest_first_on_ties_and_nothing_else_is_nominated()
    {
        using var model = await ServingModel.LoadAsync(served.Model);
        var uploads = new FreshUploads();
        uploads.Put([
            new Video("same-channel", "chan-a", 25, 60, "en", "", ""),
            new Video("two-topics", "chan-b", 20, 60, "en", "", "cats dogs"),
            new Video("one-topic-newer", "chan-c", 40, 60, "en", "", "dogs"),
            new Video("one-topic", "chan-c", 30, 60, "en", "", "cats"),
            new Video("language", "chan-d", 50, 60, "de", "", "birds"),
            new Video("unrelated", "chan-e", 60, 60, "fr", "", "fish"),
        ]);

        var nominated = FreshSource.Nominate(uploads.Current, model, [Watched], new HashSet<string>(), 10, Now);

        Assert.Equal(["same-channel", "two-topics", "one-topic-newer", "one-topic", "language"], nominated.Select(v => v.Id));
        // A watched channel (2) ties with two shared topics (2): the newer upload first.
        Assert.Equal(["same-channel", "two-topics"], FreshSource.Nominate(uploads.Current, model, [Watched], new HashSet<string>(), 2, Now).Select(v => v.Id));
    }

    [Fact]
    public async Task Excluded_videos_and_videos_the_model_already_knows_are_not_fresh()
    {
        using var model = await ServingModel.LoadAsync(served.Model);
        var known = model.Catalogue.Videos[model.Catalogue.IndexOf(model.Candidates.VideoIds[1])];
        var uploads = new FreshUploads();
        uploads.Put([known with { Channel = "chan-a" }, new Video("seen", "chan-a", 10, 60, "", "", ""), new Video("new", "chan-a", 10, 60, "", "", "")]);

        var nominated = FreshSource.Nominate(uploads.Current, model, [Watched], new HashSet<string> { "seen" }, 10, Now);

        Assert.Equal(["new"], nominated.Select(v => v.Id));
        Assert.Empty(FreshSource.Nominate(uploads.Current, model, [], new HashSet<string>(), 10, Now));
    }

    [Fact]
    public async Task An_upload_scheduled_after_the_request_time_is_not_nominated_until_it_is_published()
    {
        using var model = await ServingModel.LoadAsync(served.Model);
        var uploads = new FreshUploads();
        uploads.Put([new Video("published", "chan-a", Now - 10, 60, "de", "", ""), new Video("premiere", "chan-a", Now + 3_600, 60, "de", "", "")]);

        Assert.Equal(["published"], FreshSource.Nominate(uploads.Current, model, [Watched], new HashSet<string>(), 10, Now).Select(v => v.Id));
        Assert.Equal(["premiere", "published"], FreshSource.Nominate(uploads.Current, model, [Watched], new HashSet<string>(), 10, Now + 3_600).Select(v => v.Id));
    }
}

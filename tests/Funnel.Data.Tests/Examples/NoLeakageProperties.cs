using CsCheck;
using Funnel.Data.Examples;
using Funnel.Data.Model;

namespace Funnel.Data.Tests.Examples;

public sealed class NoLeakageProperties
{
    // Small time ranges force many equal timestamps, the case where "strictly before" matters.
    private static readonly Gen<(Watch[] Watches, Search[] Searches)> Logs =
        Gen.Select(
            Gen.Select(Gen.Int[0, 3], Gen.Int[0, 7], Gen.Long[0, 30], Gen.Float[0f, 1f]).Array[1, 60],
            Gen.Select(Gen.Int[0, 3], Gen.Long[0, 30]).Array[0, 15],
            (watches, searches) => (
                watches.Select(w => new Watch(w.Item1, w.Item2, w.Item3, 10f, w.Item4)).ToArray(),
                searches.Select(s => new Search(s.Item1, s.Item2, "q")).ToArray()));

    [Theory]
    [InlineData(SplitKind.Temporal)]
    [InlineData(SplitKind.LeaveLastOut)]
    public void Features_always_come_strictly_before_the_label(SplitKind kind)
    {
        Logs.Sample(
            logs =>
            {
                var timelines = TinyTimelines.LoadAsync(4, 8, logs.Watches, logs.Searches).GetAwaiter().GetResult();
                var options = new ExampleOptions(MaxExamplesPerUser: 4, MaxWatchHistory: 3);
                var split = DataSplit.Create(timelines, new SplitOptions(kind, 0.2, 0.2), options);
                var train = split.Train;
                for (var e = 0; e < train.Count; e++)
                {
                    var user = train.User[e];
                    var labelTime = timelines.WatchTime[train.Label[e]];
                    Assert.True(options.IsPositive(timelines.WatchCompletion[train.Label[e]]));
                    Assert.True(labelTime < train.WindowEnd || kind == SplitKind.LeaveLastOut);
                    for (var w = timelines.WatchStart[user]; w < train.HistoryEnd[e]; w++)
                    {
                        Assert.True(timelines.WatchTime[w] < labelTime);
                    }
                    for (var s = timelines.SearchStart[user]; s < train.SearchEnd[e]; s++)
                    {
                        Assert.True(timelines.SearchTime[s] < labelTime);
                    }
                    // Nothing held out for this user is used as a training label.
                    foreach (var side in new[] { split.Validation, split.Test })
                    {
                        var query = Array.IndexOf(side.User, user);
                        Assert.True(query < 0 || labelTime < side.Cutoff[query]);
                    }
                }
                Assert.All(train.User.GroupBy(u => u), g => Assert.True(g.Count() <= 4));
                foreach (var side in new[] { split.Validation, split.Test })
                {
                    for (var q = 0; q < side.Count; q++)
                    {
                        var user = side.User[q];
                        var seen = new HashSet<int>();
                        for (var w = timelines.WatchStart[user]; w < side.HistoryEnd[q]; w++)
                        {
                            Assert.True(timelines.WatchTime[w] < side.Cutoff[q]);
                            seen.Add(timelines.WatchVideo[w]);
                        }
                        for (var s = timelines.SearchStart[user]; s < side.SearchEnd[q]; s++)
                        {
                            Assert.True(timelines.SearchTime[s] < side.Cutoff[q]);
                        }
                        Assert.NotEmpty(side.TruthOf(q).ToArray());
                        Assert.All(side.TruthOf(q).ToArray(), video => Assert.DoesNotContain(video, seen));
                    }
                }
            },
            iter: 60);
    }
}

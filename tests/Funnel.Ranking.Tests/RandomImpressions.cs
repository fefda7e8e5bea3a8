using Funnel.Ranking.Features;
using Funnel.Ranking.Model;

namespace Funnel.Ranking.Tests;

/// <summary>Seeded random encoded impressions over a network shape's vocabularies: 5 watches each, dense features in [0, 1).</summary>
internal static class RandomImpressions
{
    public static EncodedImpressions Of(RankingNetworkOptions shape, int count, int seed)
    {
        var random = new Random(seed);
        var set = new EncodedImpressions(count, shape.ContinuousFeatures);
        for (var i = 0; i < count; i++)
        {
            set.Video[i] = random.Next(shape.VideoRows);
            set.Channel[i] = random.Next(shape.ChannelRows);
            set.UserLanguage[i] = random.Next(shape.LanguageRows);
            set.VideoLanguage[i] = random.Next(shape.LanguageRows);
            set.Device[i] = random.Next(shape.DeviceRows);
            set.Region[i] = random.Next(shape.RegionRows);
            for (var j = 0; j < 5; j++)
            {
                set.Watched[(i * UserActivity.MaxRecent) + j] = random.Next(shape.VideoRows);
            }
            for (var j = 0; j < set.DenseWidth; j++)
            {
                set.Dense[(i * set.DenseWidth) + j] = (float)random.NextDouble();
            }
        }
        return set;
    }
}

using Funnel.Data.Import;
using Funnel.Data.Storage;

namespace Funnel.Data.Tests.Import;

public sealed class OpenBanditImporterTests
{
    [Fact]
    public async Task Imports_the_random_men_campaign()
    {
        using var temp = new TempFolder();

        var result = await OpenBanditImporter.ImportAsync(RepositoryPaths.Dataset("obd-sample"), temp.Combine("obd"), new ImportOptions());

        // SOURCE.md: 10,000 impressions of 34 items with 46 clicks.
        Assert.Equal(34, result.Manifest.Counts.Videos);
        Assert.Equal(10_000, result.Manifest.Counts.Impressions);
        Assert.Equal(46, result.Manifest.Counts.Watches);
        var impressions = await DatasetReading.AllAsync((await Dataset.OpenAsync(temp.Combine("obd"))).ReadImpressionsAsync());
        Assert.Equal(46, impressions.Count(i => i.Clicked));
        Assert.Equal([0, 1, 2], impressions.Select(i => i.Position).Distinct().Order());
    }
}

using Funnel.Data.Import;
using Funnel.Data.Storage;

namespace Funnel.Data.Tests.Import;

public sealed class EbNerdImporterTests
{
    [Fact]
    public async Task Imports_impressions_clicks_and_histories_of_the_sample()
    {
        using var temp = new TempFolder();

        var result = await EbNerdImporter.ImportAsync(RepositoryPaths.Dataset("ebnerd-sample"), temp.Combine("eb"), new ImportOptions());

        // SOURCE.md: 1,046 impressions with 10,848 in-view articles and 1,047 clicks; 44 users with 8,303 past reads.
        Assert.Equal(44, result.Manifest.Counts.Users);
        Assert.Equal(10_848, result.Manifest.Counts.Impressions);
        Assert.Equal(8_303 + 1_047, result.Manifest.Counts.Watches);
        Assert.Equal(0, result.Issues.Skipped);
    }

    [Fact]
    public async Task Clicked_impressions_carry_the_read_time_and_unclicked_ones_none()
    {
        using var temp = new TempFolder();
        await EbNerdImporter.ImportAsync(RepositoryPaths.Dataset("ebnerd-sample"), temp.Combine("eb"), new ImportOptions());
        var dataset = await Dataset.OpenAsync(temp.Combine("eb"));

        var impressions = await DatasetReading.AllAsync(dataset.ReadImpressionsAsync());

        Assert.Equal(1_047, impressions.Count(i => i.Clicked));
        Assert.All(impressions.Where(i => !i.Clicked), i => Assert.Equal(0f, i.WatchSeconds));
        Assert.Equal(1_046, impressions.Select(i => i.Page).Distinct().Count());
        Assert.Contains(impressions, i => i.Clicked && i.WatchSeconds > 0);
    }
}

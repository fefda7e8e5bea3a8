using Funnel.Serving.Models;

namespace Funnel.Serving.Tests.Models;

[Collection(ServingTests.Name)]
public sealed class ServingModelTests(ServedModel served)
{
    [Fact]
    public async Task Index_keys_and_ranker_rows_resolved_at_load_agree_with_the_id_lookups()
    {
        using var model = await ServingModel.LoadAsync(served.Model);
        var catalogue = model.Catalogue;

        for (var row = 0; row < model.Candidates.VideoIds.Count; row++)
        {
            Assert.Equal(catalogue.IndexOf(model.Candidates.VideoIds[row]), model.CatalogueIndexOf(row));
        }
        for (var i = 0; i < catalogue.Videos.Count; i++)
        {
            var video = catalogue.Videos[i];
            Assert.Equal(model.Ranker.Space.RowsOf(video.Id, video.Channel, video.Language), model.RankerRowsOf(i));
        }
        Assert.Equal(-1, model.CatalogueIndexOf(-1));
        Assert.Equal(-1, model.CatalogueIndexOf(model.Candidates.VideoIds.Count));
        Assert.Contains(Enumerable.Range(0, catalogue.Videos.Count), i => model.RankerRowsOf(i).Video > 0);
    }
}

using Funnel.Core;
using Funnel.Data.Import;
using Funnel.Data.Model;
using Funnel.Data.Storage;

namespace Funnel.Data.Tests.Import;

public sealed class MovieLensImporterTests
{
    [Fact]
    public async Task Imports_every_rating_user_and_movie_of_ml_100k()
    {
        using var temp = new TempFolder();

        var result = await MovieLensImporter.ImportAsync(RepositoryPaths.Dataset("ml-100k"), temp.Combine("ml"), new ImportOptions());

        Assert.Equal(new TableCounts(943, 1682, 100_000, 0, 0), result.Manifest.Counts);
        Assert.Equal(0, result.Issues.Skipped);
        Assert.Equal(874724710, result.Manifest.StartTime);
        Assert.Equal(893286638, result.Manifest.EndTime);
    }

    [Fact]
    public async Task Maps_demographics_titles_and_ratings_as_documented()
    {
        using var temp = new TempFolder();
        await MovieLensImporter.ImportAsync(RepositoryPaths.Dataset("ml-100k"), temp.Combine("ml"), new ImportOptions());
        var dataset = await Dataset.OpenAsync(temp.Combine("ml"));

        // u.user line 1: "1|24|M|technician|85711".
        Assert.Equal(new User("1", 24, Gender.Male, "US-8", "", "en", "technician"), dataset.Users[0]);
        // u.user line 74: zip "T8H1N" is not a US zip.
        Assert.Equal("non-US", dataset.Users[73].Region);
        // u.item line 543 is Latin-1: "Misérables, Les (1995)".
        Assert.Equal("Misérables, Les (1995)", dataset.Videos[542].Title);
        // u.item line 1: Toy Story, released 01-Jan-1995, Animation|Children's|Comedy.
        Assert.Equal(new DateTimeOffset(1995, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), dataset.Videos[0].UploadTime);
        Assert.Equal("animation childrens comedy", dataset.Videos[0].Topics);
        // u.data line 1: "196 242 3 881250949" → completion proxy 3/5.
        var watches = await DatasetReading.AllAsync(dataset.ReadWatchesAsync());
        var first = watches.Single(w => dataset.Users[w.User].Id == "196" && dataset.Videos[w.Video].Id == "242");
        Assert.Equal(881250949, first.Time);
        Assert.Equal(0.6f, first.Completion, 6);
        Assert.True(float.IsNaN(first.WatchSeconds));
    }

    [Fact]
    public async Task A_bad_rating_row_names_file_line_and_field_and_writes_nothing()
    {
        using var temp = new TempFolder();
        var source = CopyWithBadRating(temp);

        var error = await Assert.ThrowsAsync<DataFormatException>(() => MovieLensImporter.ImportAsync(source, temp.Combine("out"), new ImportOptions()));

        Assert.Equal(Path.Combine(source, "u.data"), error.File);
        Assert.Equal(3, error.Line);
        Assert.Equal("rating", error.Field);
        Assert.False(Directory.Exists(temp.Combine("out")));
        Assert.Single(Directory.GetDirectories(temp.Path));
    }

    [Fact]
    public async Task Lenient_import_skips_bad_rows_and_says_why()
    {
        using var temp = new TempFolder();
        var source = CopyWithBadRating(temp);

        var result = await MovieLensImporter.ImportAsync(source, temp.Combine("out"), new ImportOptions(Lenient: true));

        Assert.Equal(99_999, result.Manifest.Counts.Watches);
        Assert.Equal(1, result.Issues.Skipped);
        Assert.Equal("u.data rating: expected an integer, found 'five'", Assert.Single(result.Issues.CountsByReason).Key);
    }

    private static string CopyWithBadRating(TempFolder temp)
    {
        var source = Directory.CreateDirectory(temp.Combine("ml-bad")).FullName;
        var original = RepositoryPaths.Dataset("ml-100k");
        foreach (var file in new[] { "u.user", "u.item" })
        {
            File.Copy(Path.Combine(original, file), Path.Combine(source, file));
        }
        var lines = File.ReadAllLines(Path.Combine(original, "u.data"));
        lines[2] = "22\t377\tfive\t878887116";
        File.WriteAllLines(Path.Combine(source, "u.data"), lines);
        return source;
    }
}

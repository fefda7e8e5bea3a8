using System.Text;
using Funnel.Core;
using Funnel.Data.Import;
using Funnel.Data.Model;
using Funnel.Data.Storage;

namespace Funnel.Data.Tests.Import;

/// <summary>The later MovieLens layouts, in folders written here with a few lines in each release's format (the releases themselves are not redistributable).</summary>
public sealed class MovieLensLaterReleasesTests
{
    [Fact]
    public async Task A_1m_folder_imports_users_movies_and_ratings_from_its_double_colon_files()
    {
        using var temp = new TempFolder();
        var source = Directory.CreateDirectory(temp.Combine("ml-1m")).FullName;
        File.WriteAllText(Path.Combine(source, "users.dat"), "1::F::1::10::48067\n2::M::56::16::70072\n", Encoding.Latin1);
        File.WriteAllText(Path.Combine(source, "movies.dat"), "1::Toy Story (1995)::Animation|Children's|Comedy\n2::Misérables, Les (1995)::Drama|Musical\n", Encoding.Latin1);
        File.WriteAllText(Path.Combine(source, "ratings.dat"), "1::1::5::978300760\n2::2::3::978302109\n1::2::4::978301968\n");

        var result = await MovieLensImporter.ImportAsync(source, temp.Combine("out"), new ImportOptions());
        var dataset = await Dataset.OpenAsync(temp.Combine("out"));

        Assert.Equal("ml-1m", result.Manifest.Name);
        Assert.Equal(new TableCounts(2, 2, 3, 0, 0), result.Manifest.Counts);
        Assert.Equal(new User("1", 1, Gender.Female, "US-4", "", "en", "10"), dataset.Users[0]);
        Assert.Equal("animation childrens comedy", dataset.Videos[0].Topics);
        Assert.Equal("Misérables, Les (1995)", dataset.Videos[1].Title);
        Assert.Equal(new DateTimeOffset(1995, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), dataset.Videos[0].UploadTime);
        var watches = await DatasetReading.AllAsync(dataset.ReadWatchesAsync());
        Assert.Equal([1f, 0.8f, 0.6f], watches.Select(w => w.Completion));
    }

    [Fact]
    public async Task A_latest_folder_imports_quoted_csv_half_stars_and_users_without_profiles()
    {
        using var temp = new TempFolder();
        var source = Directory.CreateDirectory(temp.Combine("ml-latest-small")).FullName;
        File.WriteAllText(Path.Combine(source, "movies.csv"), "movieId,title,genres\n1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n11,\"American President, The (1995)\",Comedy|Drama|Romance\n99,Unknown Film,(no genres listed)\n");
        File.WriteAllText(Path.Combine(source, "ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,11,2.5,964981247\n7,99,0.5,964982224\n");

        var result = await MovieLensImporter.ImportAsync(source, temp.Combine("out"), new ImportOptions());
        var dataset = await Dataset.OpenAsync(temp.Combine("out"));

        Assert.Equal("ml-latest-small", result.Manifest.Name);
        Assert.Equal(new TableCounts(2, 3, 3, 0, 0), result.Manifest.Counts);
        Assert.Equal("American President, The (1995)", dataset.Videos[1].Title);
        Assert.Equal("", dataset.Videos[2].Topics);
        Assert.Equal(0, dataset.Videos[2].UploadTime);
        Assert.Equal(Gender.Unknown, dataset.Users[1].Gender);
        var watches = await DatasetReading.AllAsync(dataset.ReadWatchesAsync());
        Assert.Contains(watches, w => w.Completion == 0.1f);
    }

    [Fact]
    public async Task A_folder_of_no_known_release_says_which_releases_are_read()
    {
        using var temp = new TempFolder();
        var source = Directory.CreateDirectory(temp.Combine("ratings")).FullName;
        File.WriteAllText(Path.Combine(source, "u.user"), "1|24|M|technician|85711\n");

        var error = await Assert.ThrowsAsync<DataFormatException>(() => MovieLensImporter.ImportAsync(source, temp.Combine("out"), new ImportOptions()));

        Assert.Contains("100K (u.data, u.user, u.item), 1M or 10M (ratings.dat, movies.dat[, users.dat]), or 20M, 25M, 32M or latest (ratings.csv, movies.csv)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_rating_in_a_dat_file_names_its_line_and_field()
    {
        using var temp = new TempFolder();
        var source = Directory.CreateDirectory(temp.Combine("ml-10m")).FullName;
        File.WriteAllText(Path.Combine(source, "movies.dat"), "1::Toy Story (1995)::Comedy\n");
        File.WriteAllText(Path.Combine(source, "ratings.dat"), "1::1::5::978300760\n1::1::9::978300761\n");

        var error = await Assert.ThrowsAsync<DataFormatException>(() => MovieLensImporter.ImportAsync(source, temp.Combine("out"), new ImportOptions()));

        Assert.Equal((Path.Combine(source, "ratings.dat"), 2L, "rating"), (error.File, error.Line, error.Field));
    }

    [Theory]
    [InlineData("Children's", "childrens")]
    [InlineData("Film-Noir", "film-noir")]
    [InlineData("Sci-Fi", "sci-fi")]
    [InlineData("IMAX", "imax")]
    public void Genres_become_topics_as_100k_spells_them(string genre, string topic) =>
        Assert.Equal(topic, MovieLensLaterReleases.Topic(genre));
}

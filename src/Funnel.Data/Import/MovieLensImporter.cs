using System.Globalization;
using System.Text;
using Funnel.Core;
using Funnel.Data.Model;

namespace Funnel.Data.Import;

/// <summary>
/// MovieLens as a Funnel dataset: 100K (u.user, u.item, u.data) here, the later releases in <see cref="MovieLensLaterReleases"/>.
/// </summary>
/// <remarks>
/// Mapping: every rating is a watch at the rating's time; MovieLens has no watch time, so
/// <see cref="Watch.Completion"/> is the documented proxy rating / 5 (with the default completion
/// threshold 0.8, ratings 4 and 5 are positives) and <see cref="Watch.WatchSeconds"/> is NaN.
/// Users: age, gender, occupation; region = "US-" + the first zip digit (the US postal zone) for
/// 5-digit zips, "non-US" otherwise (18 Canadian-style codes); language "en". Videos: release date
/// as upload time (0 when missing), genres as topics, title. u.item is Latin-1.
/// </remarks>
public static class MovieLensImporter
{
    private static readonly string[] Genres =
    [
        "unknown", "action", "adventure", "animation", "childrens", "comedy", "crime", "documentary", "drama", "fantasy",
        "film-noir", "horror", "musical", "mystery", "romance", "sci-fi", "thriller", "war", "western",
    ];

    // One row (line 1373) writes its day with one digit: "4-Feb-1971".
    private static readonly string[] ReleaseDateFormats = ["dd-MMM-yyyy", "d-MMM-yyyy"];

    /// <summary>What the importer reads, for the error a folder of none of them gets.</summary>
    public const string Releases = "MovieLens 100K (u.data, u.user, u.item), 1M or 10M (ratings.dat, movies.dat[, users.dat]), or 20M, 25M, 32M or latest (ratings.csv, movies.csv)";

    /// <summary>
    /// Imports a MovieLens folder: 100K (u.user, u.item, u.data), or a later release
    /// (<see cref="MovieLensLaterReleases"/>), found by the files it holds. The dataset is named by
    /// the release's files (ml-100k, ml-dat, ml-csv) unless the folder's own name says which
    /// (ml-1m, ml-latest-small, ...).
    /// </summary>
    public static async Task<ImportResult> ImportAsync(string source, string output, ImportOptions options, CancellationToken cancellation = default)
    {
        if (!Directory.Exists(source))
        {
            throw new DirectoryNotFoundException($"{source}: no such folder (expected {Releases})");
        }
        var issues = new ImportIssues(options.Lenient);
        var builder = new DatasetBuilder();
        string release;
        if (File.Exists(Path.Combine(source, "u.data")))
        {
            ReadUsers(Path.Combine(source, "u.user"), builder, issues);
            ReadItems(Path.Combine(source, "u.item"), builder, issues);
            ReadRatings(Path.Combine(source, "u.data"), builder, issues);
            release = "ml-100k";
        }
        else if (File.Exists(Path.Combine(source, "ratings.dat")))
        {
            MovieLensLaterReleases.ReadDat(source, builder, issues);
            release = "ml-dat";
        }
        else if (File.Exists(Path.Combine(source, "ratings.csv")))
        {
            MovieLensLaterReleases.ReadCsv(source, builder, issues);
            release = "ml-csv";
        }
        else
        {
            throw new DataFormatException(source, $"not a MovieLens folder: expected {Releases}");
        }
        var folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(source)));
        var name = release != "ml-100k" && folder.StartsWith("ml-", StringComparison.OrdinalIgnoreCase) ? folder.ToLowerInvariant() : release;
        var manifest = await builder.WriteAsync(output, options.Overwrite, name, $"movielens:{Path.GetFullPath(source)}", issues.ManifestProperties(), cancellation).ConfigureAwait(false);
        return new ImportResult(manifest, issues);
    }

    private static void ReadUsers(string path, DatasetBuilder builder, ImportIssues issues)
    {
        using var reader = DelimitedText.Open(path, '|', hasHeader: false, quotes: false);
        DelimitedText.ForEachRow(reader, path, 5, issues, row =>
        {
            var id = DelimitedText.Text(row, 0);
            var age = DelimitedText.Int(path, row, 1, "age");
            var gender = DelimitedText.Text(row, 2) switch
            {
                "F" => Gender.Female,
                "M" => Gender.Male,
                var other => throw new DataFormatException(path, row.LineNumberFrom, "gender", $"expected M or F, found '{other}'"),
            };
            var zip = DelimitedText.Text(row, 4);
            var region = zip.Length == 5 && zip.All(char.IsAsciiDigit) ? "US-" + zip[0] : "non-US";
            if (!builder.TryAddUser(new User(id, age, gender, region, "", "en", DelimitedText.Text(row, 3))))
            {
                throw new DataFormatException(path, row.LineNumberFrom, "user_id", $"duplicate user id '{id}'");
            }
        });
    }

    private static void ReadItems(string path, DatasetBuilder builder, ImportIssues issues)
    {
        using var reader = DelimitedText.Open(path, '|', hasHeader: false, Encoding.Latin1, quotes: false);
        DelimitedText.ForEachRow(reader, path, 5 + Genres.Length, issues, row =>
        {
            var id = DelimitedText.Text(row, 0);
            var released = DelimitedText.Text(row, 2);
            long upload = 0;
            if (released.Length > 0)
            {
                if (!DateTime.TryParseExact(released, ReleaseDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
                {
                    throw new DataFormatException(path, row.LineNumberFrom, "release_date", $"expected a date like 01-Jan-1995, found '{released}'");
                }
                upload = new DateTimeOffset(date, TimeSpan.Zero).ToUnixTimeSeconds();
            }
            var topics = new List<string>();
            for (var g = 0; g < Genres.Length; g++)
            {
                if (DelimitedText.Int(path, row, 5 + g, Genres[g]) == 1)
                {
                    topics.Add(Genres[g]);
                }
            }
            if (!builder.TryAddVideo(new Video(id, "", upload, 0f, "en", DelimitedText.Text(row, 1), string.Join(' ', topics))))
            {
                throw new DataFormatException(path, row.LineNumberFrom, "movie_id", $"duplicate movie id '{id}'");
            }
        });
    }

    private static void ReadRatings(string path, DatasetBuilder builder, ImportIssues issues)
    {
        using var reader = DelimitedText.Open(path, '\t', hasHeader: false, quotes: false);
        DelimitedText.ForEachRow(reader, path, 4, issues, row =>
        {
            var userId = DelimitedText.Text(row, 0);
            var itemId = DelimitedText.Text(row, 1);
            if (!builder.TryGetUser(userId, out var user))
            {
                throw new DataFormatException(path, row.LineNumberFrom, "user_id", $"unknown user '{userId}' (not in u.user)");
            }
            if (!builder.TryGetVideo(itemId, out var video))
            {
                throw new DataFormatException(path, row.LineNumberFrom, "item_id", $"unknown item '{itemId}' (not in u.item)");
            }
            var rating = DelimitedText.Int(path, row, 2, "rating");
            if (rating is < 1 or > 5)
            {
                throw new DataFormatException(path, row.LineNumberFrom, "rating", $"expected 1 to 5, found {rating}");
            }
            var time = DelimitedText.Long(path, row, 3, "timestamp");
            builder.Add(new Watch(user, video, time, float.NaN, rating / 5f));
        });
    }
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Funnel.Core;
using Funnel.Data.Model;

namespace Funnel.Data.Import;

/// <summary>
/// The MovieLens releases after 100K, mapped as <see cref="MovieLensImporter"/> maps 100K: 1M and
/// 10M (<c>ratings.dat</c>, <c>movies.dat</c>, and for 1M <c>users.dat</c>, fields separated by
/// <c>::</c>, Latin-1) and 20M, 25M, 32M and latest (<c>ratings.csv</c>, <c>movies.csv</c>, quoted
/// CSV with a header, UTF-8). Ratings become watches with completion rating / 5 (half stars from
/// 10M on); genres become topics, lower-cased with spaces as hyphens ("Children's" → "childrens",
/// "(no genres listed)" → none); the year in a title's parentheses becomes the upload time (1 January
/// of that year). 1M's users keep gender, age (the release's age group: 1 for under 18, else the
/// group's first year), occupation code and the US postal zone of the zip code; releases without a
/// users file get users with an unknown profile.
/// </summary>
internal static partial class MovieLensLaterReleases
{
    /// <summary>Reads a 1M or 10M folder into <paramref name="builder"/>.</summary>
    public static void ReadDat(string source, DatasetBuilder builder, ImportIssues issues)
    {
        var users = Path.Combine(source, "users.dat");
        if (File.Exists(users))
        {
            ForEachLine(users, 5, issues, (fields, line) =>
            {
                var gender = fields[1] switch
                {
                    "F" => Gender.Female,
                    "M" => Gender.Male,
                    var other => throw new DataFormatException(users, line, "Gender", $"expected M or F, found '{other}'"),
                };
                var zip = fields[4];
                var region = zip.Length >= 5 && zip[..5].All(char.IsAsciiDigit) ? "US-" + zip[0] : "non-US";
                if (!builder.TryAddUser(new User(fields[0], Int(users, line, fields[2], "Age"), gender, region, "", "en", fields[3])))
                {
                    throw new DataFormatException(users, line, "UserID", $"duplicate user id '{fields[0]}'");
                }
            });
        }
        var movies = Path.Combine(source, "movies.dat");
        ForEachLine(movies, 3, issues, (fields, line) => AddMovie(builder, movies, line, fields[0], fields[1], fields[2]));
        var ratings = Path.Combine(source, "ratings.dat");
        var knownUsers = File.Exists(users);
        ForEachLine(ratings, 4, issues, (fields, line) => AddRating(builder, ratings, line, fields[0], fields[1], fields[2], fields[3], knownUsers));
    }

    /// <summary>Reads a 20M, 25M, 32M or latest folder into <paramref name="builder"/>.</summary>
    public static void ReadCsv(string source, DatasetBuilder builder, ImportIssues issues)
    {
        var movies = Path.Combine(source, "movies.csv");
        using (var reader = DelimitedText.Open(movies, ',', hasHeader: true))
        {
            DelimitedText.ForEachRow(reader, movies, 3, issues, row => AddMovie(builder, movies, row.LineNumberFrom, DelimitedText.Text(row, 0), DelimitedText.Text(row, 1), DelimitedText.Text(row, 2)));
        }
        var ratings = Path.Combine(source, "ratings.csv");
        using var ratingReader = DelimitedText.Open(ratings, ',', hasHeader: true);
        DelimitedText.ForEachRow(ratingReader, ratings, 4, issues, row => AddRating(builder, ratings, row.LineNumberFrom, DelimitedText.Text(row, 0), DelimitedText.Text(row, 1), DelimitedText.Text(row, 2), DelimitedText.Text(row, 3), knownUsers: false));
    }

    /// <summary>A genre label as Funnel's topics spell them.</summary>
    public static string Topic(string genre) => genre.Trim().ToLowerInvariant().Replace("'", "", StringComparison.Ordinal).Replace(' ', '-');

    private static void AddMovie(DatasetBuilder builder, string path, int line, string id, string title, string genres)
    {
        var year = TitleYear().Match(title);
        var upload = year.Success ? new DateTimeOffset(int.Parse(year.Groups[1].Value, CultureInfo.InvariantCulture), 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds() : 0;
        var topics = genres.Split('|', StringSplitOptions.RemoveEmptyEntries).Where(g => g != "(no genres listed)").Select(Topic);
        if (!builder.TryAddVideo(new Video(id, "", upload, 0f, "en", title, string.Join(' ', topics))))
        {
            throw new DataFormatException(path, line, "movieId", $"duplicate movie id '{id}'");
        }
    }

    private static void AddRating(DatasetBuilder builder, string path, int line, string userId, string movieId, string ratingText, string timeText, bool knownUsers)
    {
        int user;
        if (knownUsers)
        {
            if (!builder.TryGetUser(userId, out user))
            {
                throw new DataFormatException(path, line, "userId", $"unknown user '{userId}' (not in users.dat)");
            }
        }
        else
        {
            user = builder.UserOrAdd(userId);
        }
        if (!builder.TryGetVideo(movieId, out var video))
        {
            throw new DataFormatException(path, line, "movieId", $"unknown movie '{movieId}' (not in the movies file)");
        }
        if (!float.TryParse(ratingText, NumberStyles.Float, CultureInfo.InvariantCulture, out var rating) || rating is < 0.5f or > 5f)
        {
            throw new DataFormatException(path, line, "rating", $"expected 0.5 to 5, found '{ratingText}'");
        }
        if (!long.TryParse(timeText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var time))
        {
            throw new DataFormatException(path, line, "timestamp", $"expected Unix seconds, found '{timeText}'");
        }
        builder.Add(new Watch(user, video, time, float.NaN, rating / 5f));
    }

    /// <summary>Each line of a <c>::</c>-separated file with at least <paramref name="columns"/> fields; a rejected line stops a strict import and is counted by a lenient one.</summary>
    private static void ForEachLine(string path, int columns, ImportIssues issues, Action<string[], int> action)
    {
        var number = 0;
        foreach (var text in File.ReadLines(path, Encoding.Latin1))
        {
            number++;
            if (text.Length == 0)
            {
                continue;
            }
            try
            {
                var fields = text.Split("::");
                if (fields.Length < columns)
                {
                    throw new DataFormatException(path, number, "", $"expected {columns} fields separated by '::', found {fields.Length}");
                }
                action([.. fields.Select(f => f.Trim())], number);
            }
            catch (DataFormatException error)
            {
                issues.Report(error);
            }
        }
    }

    private static int Int(string path, int line, string text, string field) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw new DataFormatException(path, line, field, $"expected an integer, found '{text}'");

    [GeneratedRegex(@"\((\d{4})\)\s*$")]
    private static partial Regex TitleYear();
}

using Funnel.Core;
using Funnel.Data.Import;
using Funnel.Data.Model;
using Funnel.Data.Storage;

namespace Funnel.Data.Tests.Import;

public sealed class CsvImporterTests
{
    [Fact]
    public async Task Imports_all_five_files_with_columns_in_any_order()
    {
        using var temp = new TempFolder();
        var files = new CsvImportFiles(
            Watches: Write(temp, "watches.csv", "timestamp,video_id,user_id,watch_seconds\n2024-01-02T00:00:00Z,v1,alice,150\n100,v2,alice,\n50,v1,bob,300"),
            Users: Write(temp, "users.csv", "user_id,age,gender,region,device,language\nalice,31,F,DE,mobile,de\nbob,,male,,,"),
            Videos: Write(temp, "videos.csv", "video_id,channel,duration_seconds,title\nv1,c1,300,\"cats, dogs\"\nv2,c2,,"),
            Searches: Write(temp, "searches.csv", "user_id,timestamp,query\nalice,90,funny cats"),
            Impressions: Write(temp, "impressions.csv", "user_id,video_id,timestamp,clicked,page_id,position,watch_seconds\nalice,v2,95,0,7,1,0\nalice,v1,95,1,7,0,150"));

        var result = await CsvImporter.ImportAsync(files, temp.Combine("data"), new ImportOptions());
        var dataset = await Dataset.OpenAsync(temp.Combine("data"));
        var watches = await DatasetReading.AllAsync(dataset.ReadWatchesAsync());

        Assert.Equal(new TableCounts(2, 2, 3, 1, 2), result.Manifest.Counts);
        Assert.Equal(new User("alice", 31, Gender.Female, "DE", "mobile", "de"), dataset.Users[0]);
        Assert.Equal("cats, dogs", dataset.Videos[0].Title);
        // Sorted by (user, time); completion derived from duration where known: 150 / 300.
        Assert.Equal([100L, 1704153600L, 50L], watches.Select(w => w.Time));
        Assert.Equal(0.5f, watches[1].Completion);
        Assert.True(float.IsNaN(watches[0].Completion));
    }

    [Theory]
    [InlineData("user_id,video_id,timestamp\nu1,v1,yesterday", 2, "timestamp", "expected Unix seconds or an ISO 8601 time, found 'yesterday'")]
    [InlineData("user_id,video_id,timestamp,watch_seconds\nu1,v1,5,-3", 2, "watch_seconds", "must not be negative, found -3")]
    [InlineData("user_id,video_id,timestamp,completion\nu1,v1,5,1.5", 2, "completion", "expected a fraction in [0, 1], found 1.5")]
    [InlineData("user_id,video_id,timestamp\nu1,v1,5\nu1,v1", 3, "", "expected 3 columns, found 2")]
    [InlineData("user_id,timestamp\nu1,5", 1, "video_id", "missing required column (header has: user_id, timestamp)")]
    [InlineData("user_id,video_id,timestamp\n,v1,5", 2, "user_id", "empty id")]
    [InlineData("user_id,video_id,timestamp\nu1,v1,1700000000000", 2, "timestamp", "1700000000000 is after the year 2200 in Unix seconds; milliseconds or microseconds? Convert to seconds (or ISO 8601)")]
    [InlineData("user_id,video_id,timestamp", 0, "", "no watches: the file has no rows after its header")]
    [InlineData("user_id,video_id,timestamp,user_id\nu1,v1,5,u1", 1, "", "unusable header")]
    public async Task Malformed_watches_are_reported_with_line_and_field(string csv, int line, string field, string problem)
    {
        using var temp = new TempFolder();
        var files = new CsvImportFiles(Write(temp, "watches.csv", csv));

        var error = await Assert.ThrowsAsync<DataFormatException>(() => CsvImporter.ImportAsync(files, temp.Combine("data"), new ImportOptions()));

        Assert.Equal((files.Watches, line, field), (error.File, error.Line, error.Field));
        Assert.StartsWith(problem, error.Problem, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("data")));
    }

    [Fact]
    public async Task A_binary_file_is_refused_without_echoing_control_bytes()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("watches.csv");
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 4_000).Select(i => (byte)((i * 37) % 256))]);

        var error = await Assert.ThrowsAsync<DataFormatException>(() => CsvImporter.ImportAsync(new CsvImportFiles(path), temp.Combine("data"), new ImportOptions()));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(error.Message, char.IsControl);
        Assert.True(error.Message.Length < 1_000, $"a {error.Message.Length}-character message");
    }

    [Fact]
    public async Task Unknown_video_ids_are_errors_when_a_videos_file_is_given()
    {
        using var temp = new TempFolder();
        var files = new CsvImportFiles(
            Write(temp, "watches.csv", "user_id,video_id,timestamp\nu1,v1,5\nu1,v9,6\nu2,v9,7"),
            Videos: Write(temp, "videos.csv", "video_id\nv1"));

        var result = await CsvImporter.ImportAsync(files, temp.Combine("data"), new ImportOptions(Lenient: true));

        Assert.Equal(1, result.Manifest.Counts.Watches);
        Assert.Equal(2, result.Issues.CountsByReason["watches.csv video_id: unknown video 'v9' (not in the videos file)"]);
        Assert.Equal("2", result.Manifest.Properties["skippedRows"]);
    }

    private static string Write(TempFolder temp, string name, string text)
    {
        var path = temp.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }
}

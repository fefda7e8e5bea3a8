using System.Text.Json.Serialization;
using Funnel.Core;
using Funnel.Data.Import;
using Funnel.Data.Storage;
using Parquet.Serialization;

namespace Funnel.Data.Tests.Import;

public sealed class ParquetInputTests
{
    [Fact]
    public async Task Parquet_watches_import_with_the_csv_column_rules()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("watches.parquet");
        await ParquetSerializer.SerializeAsync(
            new[]
            {
                new WatchRow { UserId = "alice", VideoId = "v1", Timestamp = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), Completion = 1f },
                new WatchRow { UserId = "alice", VideoId = "v2", Timestamp = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), Completion = 0.25f },
            },
            path);

        var result = await CsvImporter.ImportAsync(new CsvImportFiles(path), temp.Combine("data"), new ImportOptions());
        var watches = await DatasetReading.AllAsync((await Dataset.OpenAsync(temp.Combine("data"))).ReadWatchesAsync());

        Assert.Equal(2, result.Manifest.Counts.Watches);
        Assert.Equal([1704067200L, 1704164645L], watches.Select(w => w.Time));
        Assert.Equal([0.25f, 1f], watches.Select(w => w.Completion));
    }

    [Fact]
    public async Task A_bad_parquet_row_is_reported_against_the_parquet_file_and_its_row()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("watches.parquet");
        await ParquetSerializer.SerializeAsync(
            new[]
            {
                new WatchRow { UserId = "alice", VideoId = "v1", Timestamp = DateTime.UnixEpoch, Completion = 1f },
                new WatchRow { UserId = "bob", VideoId = "v1", Timestamp = DateTime.UnixEpoch, Completion = 1.5f },
            },
            path);

        var error = await Assert.ThrowsAsync<DataFormatException>(() => CsvImporter.ImportAsync(new CsvImportFiles(path), temp.Combine("data"), new ImportOptions()));

        Assert.Equal((path, 2L, "completion"), (error.File, error.Line, error.Field));
        Assert.False(Directory.Exists(temp.Combine("data")));
    }

    public sealed class WatchRow
    {
        [JsonPropertyName("user_id")]
        public string UserId { get; set; } = "";

        [JsonPropertyName("video_id")]
        public string VideoId { get; set; } = "";

        [JsonPropertyName("timestamp")]
        public DateTime Timestamp { get; set; }

        [JsonPropertyName("completion")]
        public float Completion { get; set; }
    }
}

using System.Text.Json.Nodes;
using Funnel.Core;
using Funnel.Data.Model;
using Funnel.Data.Storage;

namespace Funnel.Data.Tests.Storage;

public sealed class DatasetWriterTests
{
    private static readonly User[] TwoUsers =
    [
        new("u1", 34, Gender.Female, "DE", "mobile", "de", "engineer"),
        new("u2", 0, Gender.Unknown, "", "", "", ""),
    ];

    private static readonly Video[] ThreeVideos =
    [
        new("v1", "c1", 1_000, 300f, "de", "cats on a roof", "pets"),
        new("v2", "c1", 2_000, 60f, "en", "", ""),
        new("v3", "c2", 0, 0f, "", "", ""),
    ];

    [Fact]
    public async Task Round_trips_every_table_across_row_groups()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("data");
        Watch[] watches = [new(0, 0, 10, 300f, 1f), new(0, 1, 20, 30f, 0.5f), new(0, 2, 20, float.NaN, float.NaN), new(1, 0, 5, 12f, 0.04f), new(1, 1, 7, 60f, 1f)];
        Search[] searches = [new(0, 9, "cats roof"), new(1, 1, "")];
        Impression[] impressions = [new(0, 1, 11, 77, 0, true, 30f), new(0, 2, 11, 77, 1, false, 0f)];

        await using (var writer = DatasetWriter.Create(path, rowGroupSize: 2))
        {
            await writer.WriteUsersAsync(TwoUsers);
            await writer.WriteVideosAsync(ThreeVideos);
            await writer.AppendWatchesAsync(watches.AsMemory(0, 3));
            await writer.AppendWatchesAsync(watches.AsMemory(3));
            await writer.AppendSearchesAsync(searches);
            await writer.AppendImpressionsAsync(impressions);
            await writer.CommitAsync("tiny", "test");
        }

        var dataset = await Dataset.OpenAsync(path);
        Assert.Equal(TwoUsers, dataset.Users);
        Assert.Equal(ThreeVideos, dataset.Videos);
        Assert.Equal(watches, await DatasetReading.AllAsync(dataset.ReadWatchesAsync()));
        Assert.Equal(searches, await DatasetReading.AllAsync(dataset.ReadSearchesAsync()));
        Assert.Equal(impressions, await DatasetReading.AllAsync(dataset.ReadImpressionsAsync()));
        Assert.Equal(new TableCounts(2, 3, 5, 2, 2), dataset.Manifest.Counts);
        Assert.Equal(1, dataset.Manifest.StartTime);
        Assert.Equal(20, dataset.Manifest.EndTime);
    }

    [Fact]
    public async Task Rejects_events_out_of_user_time_order()
    {
        using var temp = new TempFolder();
        await using var writer = DatasetWriter.Create(temp.Combine("data"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await writer.AppendWatchesAsync(new Watch[] { new(1, 0, 10, 1f, 1f), new(0, 0, 11, 1f, 1f) }));

        Assert.Contains("(user, time) order: row 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_abandoned_write_leaves_no_folder_behind()
    {
        using var temp = new TempFolder();
        await using (var writer = DatasetWriter.Create(temp.Combine("data")))
        {
            await writer.WriteUsersAsync(TwoUsers);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task Replacing_a_dataset_keeps_the_old_one_until_the_new_one_commits()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("data");
        await WriteMinimalAsync(path, "first", overwrite: false);

        await using (var writer = DatasetWriter.Create(path, overwrite: true))
        {
            await writer.WriteUsersAsync(TwoUsers);
            Assert.Equal("first", (await Dataset.OpenAsync(path)).Manifest.Name);
        }
        Assert.Equal("first", (await Dataset.OpenAsync(path)).Manifest.Name);

        await WriteMinimalAsync(path, "second", overwrite: true);
        Assert.Equal("second", (await Dataset.OpenAsync(path)).Manifest.Name);
        Assert.Single(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task Refuses_to_overwrite_without_being_told()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("data");
        await WriteMinimalAsync(path, "first", overwrite: false);

        var error = Assert.Throws<IOException>(() => DatasetWriter.Create(path));
        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_from_a_newer_schema_is_a_clear_error()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("data");
        await WriteMinimalAsync(path, "first", overwrite: false);
        var manifestPath = Path.Combine(path, DatasetManifest.FileName);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
        json["schemaVersion"] = DatasetManifest.CurrentSchemaVersion + 1;
        await File.WriteAllTextAsync(manifestPath, json.ToJsonString());

        var error = await Assert.ThrowsAsync<DataFormatException>(() => Dataset.OpenAsync(path));

        Assert.Equal("schemaVersion", error.Field);
        Assert.Contains("newer Funnel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_table_that_disagrees_with_the_manifest_is_reported_as_damaged()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("data");
        await WriteMinimalAsync(path, "first", overwrite: false);
        var manifestPath = Path.Combine(path, DatasetManifest.FileName);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
        json["counts"]!["watches"] = 5;
        await File.WriteAllTextAsync(manifestPath, json.ToJsonString());
        var dataset = await Dataset.OpenAsync(path);

        var error = await Assert.ThrowsAsync<DataFormatException>(async () => await DatasetReading.AllAsync(dataset.ReadWatchesAsync()));

        Assert.EndsWith("watches.parquet", error.File, StringComparison.Ordinal);
        Assert.Contains("manifest says 5", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "is corrupt: its checksum is")] // overwritten bytes, same size: what reads garbage or "Invalid copy offset" deep in Parquet
    [InlineData(true, "the file is truncated or was replaced")]
    public async Task A_damaged_table_file_is_refused_on_open_by_name(bool replace, string expected)
    {
        using var temp = new TempFolder();
        var path = temp.Combine("data");
        await WriteMinimalAsync(path, "first", overwrite: false);
        var watches = Path.Combine(path, "watches.parquet");
        var bytes = await File.ReadAllBytesAsync(watches);
        if (replace)
        {
            bytes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        }
        else
        {
            bytes[bytes.Length / 2] ^= 0x5A;
        }
        await File.WriteAllBytesAsync(watches, bytes);

        var error = await Assert.ThrowsAsync<DataFormatException>(() => Dataset.OpenAsync(path));

        Assert.Contains(watches, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_without_a_manifest_is_not_a_dataset()
    {
        using var temp = new TempFolder();

        var error = await Assert.ThrowsAsync<DataFormatException>(() => Dataset.OpenAsync(temp.Path));

        Assert.Contains("not a Funnel dataset", error.Message, StringComparison.Ordinal);
    }

    private static async Task WriteMinimalAsync(string path, string name, bool overwrite)
    {
        await using var writer = DatasetWriter.Create(path, overwrite);
        await writer.WriteUsersAsync(TwoUsers);
        await writer.WriteVideosAsync(ThreeVideos);
        await writer.AppendWatchesAsync(new Watch[] { new(0, 0, 1, 1f, 1f) });
        await writer.CommitAsync(name, "test");
    }
}

using System.Globalization;
using Funnel.Core;
using Funnel.Data.Model;

namespace Funnel.Data.Import;

/// <summary>
/// The Open Bandit Dataset sample (a campaign folder with &lt;campaign&gt;.csv and item_context.csv,
/// e.g. random/men) as a Funnel dataset.
/// </summary>
/// <remarks>
/// OBD has no user ids: a user is the combination of the four hashed user features. Each log row
/// is one impression at slot 1–3 (stored 0-based) and is its own page (rows of one recommendation
/// round are not linked in the log). There is no watch time: clicked impressions have NaN watch
/// seconds and also become watches with unknown completion. Items: channel = item_feature_1, topics
/// = item_feature_2 and item_feature_3 (hashed categories).
/// </remarks>
public static class OpenBanditImporter
{
    /// <summary>Imports a campaign folder; the log is the one .csv file other than item_context.csv.</summary>
    public static async Task<ImportResult> ImportAsync(string source, string output, ImportOptions options, CancellationToken cancellation = default)
    {
        var folder = FindCampaignFolder(source);
        var logs = Directory.GetFiles(folder, "*.csv").Where(f => Path.GetFileName(f) != "item_context.csv").Order(StringComparer.Ordinal).ToArray();
        if (logs.Length != 1)
        {
            throw new DataFormatException(folder, $"expected one log .csv beside item_context.csv, found {logs.Length}");
        }
        var issues = new ImportIssues(options.Lenient);
        var builder = new DatasetBuilder();
        ReadItems(Path.Combine(folder, "item_context.csv"), builder, issues);
        ReadLog(logs[0], builder, issues);
        var manifest = await builder.WriteAsync(output, options.Overwrite, "obd-" + Path.GetFileNameWithoutExtension(logs[0]), $"obd:{Path.GetFullPath(folder)}", issues.ManifestProperties(), cancellation).ConfigureAwait(false);
        return new ImportResult(manifest, issues);
    }

    /// <summary>The folder holding item_context.csv: the given one, or the single one below it (e.g. obd-sample → random/men).</summary>
    private static string FindCampaignFolder(string source)
    {
        if (File.Exists(Path.Combine(source, "item_context.csv")))
        {
            return source;
        }
        if (!Directory.Exists(source))
        {
            throw new DirectoryNotFoundException($"{source}: no such folder");
        }
        var found = Directory.GetFiles(source, "item_context.csv", SearchOption.AllDirectories);
        return found.Length == 1
            ? Path.GetDirectoryName(found[0])!
            : throw new DataFormatException(source, $"expected one campaign folder with item_context.csv below it, found {found.Length}");
    }

    private static void ReadItems(string path, DatasetBuilder builder, ImportIssues issues)
    {
        using var reader = DelimitedText.Open(path, ',', hasHeader: true);
        var header = reader.Header;
        var item = Column(path, header, "item_id");
        var channel = Column(path, header, "item_feature_1");
        var topicA = Column(path, header, "item_feature_2");
        var topicB = Column(path, header, "item_feature_3");
        DelimitedText.ForEachRow(reader, path, header.ColNames.Count, issues, row =>
        {
            var id = DelimitedText.Int(path, row, item, "item_id").ToString(CultureInfo.InvariantCulture);
            if (!builder.TryAddVideo(new Video(id, DelimitedText.Text(row, channel), 0, 0f, "", "", $"{DelimitedText.Text(row, topicA)} {DelimitedText.Text(row, topicB)}")))
            {
                throw new DataFormatException(path, row.LineNumberFrom, "item_id", $"duplicate item id '{id}'");
            }
        });
    }

    private static void ReadLog(string path, DatasetBuilder builder, ImportIssues issues)
    {
        using var reader = DelimitedText.Open(path, ',', hasHeader: true);
        var header = reader.Header;
        var page = Column(path, header, "");
        var timestamp = Column(path, header, "timestamp");
        var item = Column(path, header, "item_id");
        var position = Column(path, header, "position");
        var click = Column(path, header, "click");
        int[] features = [Column(path, header, "user_feature_0"), Column(path, header, "user_feature_1"), Column(path, header, "user_feature_2"), Column(path, header, "user_feature_3")];
        DelimitedText.ForEachRow(reader, path, header.ColNames.Count, issues, row =>
        {
            var itemId = DelimitedText.Int(path, row, item, "item_id").ToString(CultureInfo.InvariantCulture);
            if (!builder.TryGetVideo(itemId, out var video))
            {
                throw new DataFormatException(path, row.LineNumberFrom, "item_id", $"unknown item '{itemId}' (not in item_context.csv)");
            }
            var slot = DelimitedText.Int(path, row, position, "position");
            if (slot is < 1 or > 3)
            {
                throw new DataFormatException(path, row.LineNumberFrom, "position", $"expected 1, 2 or 3, found {slot}");
            }
            var user = builder.UserOrAdd($"{DelimitedText.Text(row, features[0])}-{DelimitedText.Text(row, features[1])}-{DelimitedText.Text(row, features[2])}-{DelimitedText.Text(row, features[3])}");
            var time = DelimitedText.Timestamp(path, row, timestamp, "timestamp");
            var clicked = DelimitedText.Bool(path, row, click, "click");
            builder.Add(new Impression(user, video, time, DelimitedText.Long(path, row, page, "(row index)"), slot - 1, clicked, clicked ? float.NaN : 0f));
            if (clicked)
            {
                builder.Add(new Watch(user, video, time, float.NaN, float.NaN));
            }
        });
    }

    private static int Column(string path, nietras.SeparatedValues.SepReaderHeader header, string name) =>
        header.TryIndexOf(name, out var index)
            ? index
            : throw new DataFormatException(path, 1, name, "missing column");
}

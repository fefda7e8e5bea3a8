namespace Funnel.Data.Import;

/// <summary>The files of a generic CSV import; only watches are required.</summary>
/// <param name="Watches">user_id, video_id, timestamp[, watch_seconds][, completion]</param>
/// <param name="Users">user_id[, age][, gender][, region][, device][, language][, occupation]</param>
/// <param name="Videos">video_id[, channel][, upload_time][, duration_seconds][, language][, title][, topics]</param>
/// <param name="Searches">user_id, timestamp, query</param>
/// <param name="Impressions">user_id, video_id, timestamp, clicked[, page_id][, position][, watch_seconds]</param>
public sealed record CsvImportFiles(string Watches, string? Users = null, string? Videos = null, string? Searches = null, string? Impressions = null);

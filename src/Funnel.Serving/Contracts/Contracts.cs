namespace Funnel.Serving.Contracts;

/// <summary>Request context: what the client knows about the user right now.</summary>
/// <param name="Device">Device class (e.g. "mobile").</param>
/// <param name="Region">Country or region code.</param>
/// <param name="Language">Preferred language code.</param>
/// <param name="Gender">"female" or "male" when the user's profile says so (the paper's demographic input).</param>
/// <param name="Age">Age in years when the profile says so.</param>
public sealed record RecommendationContext(string? Device = null, string? Region = null, string? Language = null, string? Gender = null, int? Age = null)
{
    /// <summary>The genders the candidate network knows, as the request spells them.</summary>
    public static readonly IReadOnlyList<string> Genders = ["female", "male"];

    /// <summary>Oldest age accepted.</summary>
    public const int MaxAge = 130;

    /// <summary>The gender as the network encodes it (0 unknown, 1 female, 2 male); derived, never sent.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int GenderCode => Gender switch { "female" => 1, "male" => 2, _ => 0 };
}

/// <summary>POST /v1/recommendations.</summary>
/// <param name="UserId">The user, known or new.</param>
/// <param name="K">Slate length, 1–1000 (default 20).</param>
/// <param name="Context">Device, region, language.</param>
/// <param name="Exclude">Video ids not to recommend (the user's watched videos are always excluded).</param>
/// <param name="Debug">Add per-stage timings and counts.</param>
/// <param name="Time">The request's time in Unix seconds (default: the service's clock, which <c>funnel serve --now</c> can fix for replays).</param>
/// <param name="Metadata">Add each item's catalogue entry (title, channel, topics, duration, upload time).</param>
public sealed record RecommendationRequest(string? UserId, int? K = null, RecommendationContext? Context = null, IReadOnlyList<string>? Exclude = null, bool Debug = false, long? Time = null, bool Metadata = false);

/// <summary>One slate entry.</summary>
/// <param name="VideoId">The video.</param>
/// <param name="Score">The ranker's odds e^logit, for every item whatever its source, in the response's <c>scoreUnit</c>: expected watch seconds, expected completion, or click odds.</param>
/// <param name="Source">The source whose nomination put it in the slate: "candidates" (the candidate network), "covisits", "regional", "fresh", or "popularity" (the top-up when the sources nominated fewer than k).</param>
/// <param name="CandidateRank">Its 1-based rank in that source's list.</param>
/// <param name="Sources">Every source that nominated it, <paramref name="Source"/> first.</param>
/// <param name="Video">Its catalogue entry, when the request asked for metadata.</param>
public sealed record RecommendedItem(string VideoId, double Score, string Source, int CandidateRank, IReadOnlyList<string> Sources, VideoMetadata? Video = null);

/// <summary>A video's catalogue entry, as a slate shows it.</summary>
/// <param name="Title">Title; empty when the catalogue has none.</param>
/// <param name="Channel">Uploading channel; empty when unknown.</param>
/// <param name="Topics">Topic or genre labels.</param>
/// <param name="DurationSeconds">Length in seconds; 0 when unknown.</param>
/// <param name="UploadTime">Upload (or release) time in Unix seconds; 0 when unknown.</param>
public sealed record VideoMetadata(string Title, string Channel, IReadOnlyList<string> Topics, double DurationSeconds, long UploadTime);

/// <summary>Per-stage timings and counts of one request.</summary>
/// <param name="StageMs">Milliseconds per stage: state, user_vector, retrieval, sources (the other candidate sources), ranking.</param>
/// <param name="Events">Stored events the state was rebuilt from.</param>
/// <param name="Candidates">Candidates retrieval returned.</param>
/// <param name="Ranked">Videos the ranker scored: the sources' candidates and the popularity top-up.</param>
public sealed record RecommendationDebug(IReadOnlyDictionary<string, double> StageMs, int Events, int Candidates, int Ranked);

/// <summary>The response of POST /v1/recommendations.</summary>
/// <param name="Items">The slate, best first.</param>
/// <param name="ServedBy">"model" (every item nominated by a source), "model+popularity" (the sources nominated fewer than k; the most popular filled the rest), or "fallback" (the sources nominated nothing: popularity only).</param>
/// <param name="ModelVersion">The model that served it.</param>
/// <param name="Time">The Unix second the slate was served as of: the request's time, else the service's clock.</param>
/// <param name="ScoreUnit">What the items' scores estimate: "watch-seconds" (expected watch time), "expected-completion" (a ranker trained on a log with completions but no watch times or durations, such as MovieLens' ratings / 5) or "click-odds" (P/(1 − P) of a click: unweighted, or clicks without either).</param>
/// <param name="Debug">Timings and counts when asked for.</param>
public sealed record RecommendationResponse(IReadOnlyList<RecommendedItem> Items, string ServedBy, string? ModelVersion, long Time, string ScoreUnit, RecommendationDebug? Debug = null)
{
    /// <summary>Every item nominated by a candidate source.</summary>
    public const string ByModel = "model";

    /// <summary>Some items from the popularity top-up.</summary>
    public const string ByModelAndPopularity = "model+popularity";

    /// <summary>Popularity only.</summary>
    public const string ByFallback = "fallback";

    /// <summary>The source name of the top-up.</summary>
    public const string PopularityName = "popularity";
}

/// <summary>One event of POST /v1/events.</summary>
/// <param name="Type">"watch", "search" or "impression".</param>
/// <param name="VideoId">The video (watch, impression).</param>
/// <param name="WatchSeconds">Seconds watched (watch).</param>
/// <param name="Query">Query text (search).</param>
/// <param name="Position">0-based slate position (impression).</param>
/// <param name="Clicked">Whether it was clicked (impression).</param>
/// <param name="Time">Unix seconds (default now).</param>
public sealed record EventRequest(string? Type, string? VideoId = null, double? WatchSeconds = null, string? Query = null, int? Position = null, bool? Clicked = null, long? Time = null);

/// <summary>POST /v1/events: one user's events.</summary>
/// <param name="UserId">The user.</param>
/// <param name="Events">1–1000 events.</param>
public sealed record EventBatch(string? UserId, IReadOnlyList<EventRequest>? Events);

/// <summary>The response of POST /v1/events: how many events were stored (durably).</summary>
/// <param name="Accepted">Events stored.</param>
/// <param name="Replayed">The batch's Idempotency-Key named a batch already stored: nothing was stored again.</param>
public sealed record EventsAccepted(int Accepted, bool Replayed = false);

/// <summary>POST /admin/models/reload.</summary>
/// <param name="Path">Model folder to load (default: the folder being served, re-read).</param>
public sealed record ReloadRequest(string? Path = null);

/// <summary>The response of a reload.</summary>
/// <param name="ModelVersion">The version now served.</param>
/// <param name="Path">Where it was loaded from.</param>
public sealed record ReloadResponse(string ModelVersion, string Path);

/// <summary>POST /admin/videos.</summary>
/// <param name="Videos">Videos to add, or to update by id (1 to 1,000).</param>
public sealed record AddVideosRequest(IReadOnlyList<UploadedVideo?>? Videos);

/// <summary>A video added at serving time.</summary>
/// <param name="Id">The external id (1–256 characters).</param>
/// <param name="Channel">The uploading channel.</param>
/// <param name="Topics">Space-separated topic labels.</param>
/// <param name="Language">Language code.</param>
/// <param name="DurationSeconds">Length in seconds (≥ 0).</param>
/// <param name="UploadTime">Upload time in Unix seconds (default: now).</param>
/// <param name="Title">Title text.</param>
public sealed record UploadedVideo(string? Id, string? Channel = null, string? Topics = null, string? Language = null, float? DurationSeconds = null, long? UploadTime = null, string? Title = null);

/// <summary>The response of POST /admin/videos.</summary>
/// <param name="Stored">Videos stored (added or updated).</param>
/// <param name="Uploads">Videos added at serving time now known to the service.</param>
public sealed record AddVideosResponse(int Stored, int Uploads);

namespace Funnel.Data.Model;

/// <summary>
/// A video (or any item: a movie, an article). A dataset lists videos in order; a video's position
/// in that list is the dense index events refer to.
/// </summary>
/// <param name="Id">The external id.</param>
/// <param name="Channel">The uploading channel; empty when unknown.</param>
/// <param name="UploadTime">Upload (or release) time in Unix seconds; 0 when unknown.</param>
/// <param name="DurationSeconds">Length in seconds; 0 when unknown.</param>
/// <param name="Language">Language code; empty when unknown.</param>
/// <param name="Title">Title text, tokenised like search queries where used; empty when unknown.</param>
/// <param name="Topics">Space-separated topic or genre labels; empty when unknown.</param>
public sealed record Video(
    string Id,
    string Channel,
    long UploadTime,
    float DurationSeconds,
    string Language,
    string Title,
    string Topics);

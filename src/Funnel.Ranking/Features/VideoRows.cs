namespace Funnel.Ranking.Features;

/// <summary>
/// A video's rows in one feature space's ID spaces (<see cref="RankingFeatureSpace.RowsOf"/>): a
/// server resolves each catalogue video once when it loads the model, instead of hashing three ids
/// per candidate of every request.
/// </summary>
/// <param name="Video">Its row in the video vocabulary.</param>
/// <param name="Channel">Its channel's row.</param>
/// <param name="Language">Its language's row.</param>
public readonly record struct VideoRows(int Video, int Channel, int Language);

namespace Funnel.Ranking.Features;

/// <summary>What a user's history says about one candidate impression, before normalisation.</summary>
/// <param name="SecondsSinceChannelWatch">Since the user last watched this video's channel (<see cref="UserActivity.Never"/> if never).</param>
/// <param name="SecondsSinceTopicWatch">Since the user last watched a video sharing a topic with it (<see cref="UserActivity.Never"/> if never).</param>
/// <param name="PreviousVideoImpressions">Times this video was shown to the user before.</param>
/// <param name="PreviousChannelImpressions">Times videos of its channel were shown to the user before.</param>
public readonly record struct ImpressionCounters(double SecondsSinceChannelWatch, double SecondsSinceTopicWatch, int PreviousVideoImpressions, int PreviousChannelImpressions);

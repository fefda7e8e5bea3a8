using Funnel.Data.Model;

namespace Funnel.Data.Synthetic;

/// <summary>One simulated user's demographics, hidden tastes and logged events, in time order.</summary>
internal sealed class SimulatedUser
{
    public User User { get; set; } = new("", 0, Gender.Unknown, "", "", "");

    /// <summary>The user's interest topics, strongest first.</summary>
    public int[] InterestTopics { get; set; } = [];

    /// <summary>Interest weights of <see cref="InterestTopics"/>, summing to 1.</summary>
    public float[] InterestWeights { get; set; } = [];

    /// <summary>Mean sessions per day.</summary>
    public float Activity { get; set; }

    public List<Watch> Watches { get; } = [];

    public List<Search> Searches { get; } = [];

    public List<Impression> Impressions { get; } = [];

    /// <summary>Interest in a topic relative to the user's top topic, in [0, 1].</summary>
    public double RelativeInterest(int topic)
    {
        var index = Array.IndexOf(InterestTopics, topic);
        return index < 0 ? 0.0 : InterestWeights[index] / InterestWeights[0];
    }
}

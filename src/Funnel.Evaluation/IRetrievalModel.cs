using Funnel.Data.Examples;
using static TorchSharp.torch;

namespace Funnel.Evaluation;

/// <summary>Anything that scores every row of the video vocabulary for a batch of users.</summary>
public interface IRetrievalModel
{
    /// <summary>The name results are reported under (funnel, popularity, itemknn, ease, …).</summary>
    string Name { get; }

    /// <summary>Scores [Count, video vocabulary rows] for the batch's users; higher is better.</summary>
    Tensor Score(CandidateBatch batch);
}

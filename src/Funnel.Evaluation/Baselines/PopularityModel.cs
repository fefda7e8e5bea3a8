using Funnel.Data.Examples;
using static TorchSharp.torch;

namespace Funnel.Evaluation.Baselines;

/// <summary>
/// Most popular recently: completed training-side watches in the last <c>recentDays</c> before the
/// training window's end, ties broken by all-time counts. The same list for every user.
/// </summary>
public sealed class PopularityModel : IRetrievalModel
{
    private readonly float[] scores;

    /// <summary>Counts popularity on the split's training side.</summary>
    public PopularityModel(DataSplit split, double recentDays = 14)
    {
        var recent = new double[split.Videos.Rows];
        var allTime = new double[split.Videos.Rows];
        var from = split.Train.WindowEnd - (long)(recentDays * 86_400);
        TrainingWatches.ForEachUser(split, (_, rows, times) =>
        {
            for (var i = 0; i < rows.Count; i++)
            {
                allTime[rows[i]]++;
                if (times[i] >= from)
                {
                    recent[rows[i]]++;
                }
            }
        });
        var maxAllTime = Math.Max(1.0, allTime.Max());
        scores = recent.Select((count, row) => (float)(count + (allTime[row] / (maxAllTime + 1)))).ToArray();
    }

    /// <inheritdoc />
    public string Name => "popularity";

    /// <inheritdoc />
    public Tensor Score(CandidateBatch batch) => tensor(scores).unsqueeze(0).expand(batch.Count, scores.Length).contiguous();
}

using Funnel.Data.Examples;
using static TorchSharp.torch;

namespace Funnel.Evaluation.Baselines;

/// <summary>
/// Item co-visitation (ItemKNN): two videos are similar when users watch them within a few watches
/// of each other; similarity is the co-visit count over √(count_i · count_j), keeping each video's
/// strongest neighbours. A user's score for a video sums its similarity to their history.
/// </summary>
public sealed class ItemKnnModel : IRetrievalModel
{
    private readonly (int Row, float Similarity)[][] neighbours;
    private readonly int rows;

    /// <summary>Counts co-visits on the split's training side.</summary>
    public ItemKnnModel(DataSplit split, int window = 10, int neighboursPerVideo = 200)
    {
        rows = split.Videos.Rows;
        var pairs = new Dictionary<int, float>[rows];
        var counts = new double[rows];
        TrainingWatches.ForEachUser(split, (_, history, _) =>
        {
            for (var i = 0; i < history.Count; i++)
            {
                counts[history[i]]++;
                for (var j = Math.Max(0, i - window); j < i; j++)
                {
                    if (history[i] != history[j])
                    {
                        Add(pairs, history[i], history[j]);
                        Add(pairs, history[j], history[i]);
                    }
                }
            }
        });
        neighbours = new (int, float)[rows][];
        for (var row = 0; row < rows; row++)
        {
            neighbours[row] = pairs[row] is null
                ? []
                : pairs[row]
                    .Select(p => (p.Key, (float)(p.Value / Math.Sqrt(counts[row] * counts[p.Key]))))
                    .OrderByDescending(p => p.Item2).ThenBy(p => p.Key)
                    .Take(neighboursPerVideo)
                    .ToArray();
        }
    }

    /// <inheritdoc />
    public string Name => "itemknn";

    /// <inheritdoc />
    public Tensor Score(CandidateBatch batch)
    {
        var scores = new float[batch.Count * rows];
        for (var i = 0; i < batch.Count; i++)
        {
            var offset = i * rows;
            foreach (var watched in TrainingWatches.HistoryOf(batch, i))
            {
                foreach (var (row, similarity) in neighbours[watched])
                {
                    scores[offset + row] += similarity;
                }
            }
        }
        return tensor(scores, [batch.Count, rows]);
    }

    private static void Add(Dictionary<int, float>[] pairs, int from, int to)
    {
        pairs[from] ??= [];
        pairs[from][to] = pairs[from].GetValueOrDefault(to) + 1;
    }
}

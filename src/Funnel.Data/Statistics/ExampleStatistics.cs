using Funnel.Data.Examples;

namespace Funnel.Data.Statistics;

/// <summary>What a split produced: examples, queries, vocabularies and history lengths.</summary>
/// <param name="Split">"temporal", "leave-last-out" or "last-interaction".</param>
/// <param name="TrainingExamples">Training examples after the per-user cap.</param>
/// <param name="UsersWithExamples">Users with at least one training example.</param>
/// <param name="MeanWatchHistory">Mean watch-bag length of training examples (before the vocabulary drops ids).</param>
/// <param name="MeanSearchHistory">Mean number of earlier searches per training example (capped).</param>
/// <param name="ValidationQueries">Validation queries.</param>
/// <param name="TestQueries">Test queries.</param>
/// <param name="MeanTestTruth">Mean ground-truth videos per test query.</param>
/// <param name="VideoVocabulary">Videos with an embedding row (excluding the reserved row).</param>
/// <param name="TokenVocabulary">Search tokens with an embedding row.</param>
/// <param name="ValidationStart">Temporal split: start of validation, Unix seconds; 0 otherwise.</param>
/// <param name="TestStart">Temporal split: start of test, Unix seconds; 0 otherwise.</param>
public sealed record ExampleStatistics(
    string Split,
    int TrainingExamples,
    int UsersWithExamples,
    double MeanWatchHistory,
    double MeanSearchHistory,
    int ValidationQueries,
    int TestQueries,
    double MeanTestTruth,
    int VideoVocabulary,
    int TokenVocabulary,
    long ValidationStart,
    long TestStart)
{
    /// <summary>Summarises a split.</summary>
    public static ExampleStatistics Of(DataSplit split)
    {
        var timelines = split.Timelines;
        var train = split.Train;
        double watchHistory = 0;
        double searchHistory = 0;
        for (var e = 0; e < train.Count; e++)
        {
            var user = train.User[e];
            watchHistory += Math.Min(split.Options.MaxWatchHistory, train.HistoryEnd[e] - timelines.WatchStart[user]);
            searchHistory += Math.Min(split.Options.MaxSearchHistory, train.SearchEnd[e] - timelines.SearchStart[user]);
        }
        var count = Math.Max(1, train.Count);
        return new ExampleStatistics(
            SplitOptions.Name(split.Split.Kind),
            train.Count,
            train.User.Distinct().Count(),
            watchHistory / count,
            searchHistory / count,
            split.Validation.Count,
            split.Test.Count,
            split.Test.Count == 0 ? 0 : (double)split.Test.Truth.Length / split.Test.Count,
            split.Videos.Rows - 1,
            split.Tokens.Rows - 1,
            split.ValidationStart,
            split.TestStart);
    }
}

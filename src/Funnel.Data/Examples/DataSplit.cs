using Funnel.Core;

namespace Funnel.Data.Examples;

/// <summary>
/// Training examples, validation and test queries, and the vocabularies learned from the training
/// side only, made the paper's way: labels are completed watches, features come strictly from
/// before each label, and each user contributes at most a fixed number of examples.
/// </summary>
public sealed class DataSplit
{
    private const int SamplingStream = 20;

    private DataSplit(Timelines timelines, SplitOptions split, ExampleOptions options)
    {
        Timelines = timelines;
        Split = split;
        Options = options;
    }

    /// <summary>The timelines the examples refer into.</summary>
    public Timelines Timelines { get; }

    /// <summary>How the split was made.</summary>
    public SplitOptions Split { get; }

    /// <summary>How examples were made.</summary>
    public ExampleOptions Options { get; }

    /// <summary>Temporal split: the start of the validation period (0 for leave-last-out).</summary>
    public long ValidationStart { get; private set; }

    /// <summary>Temporal split: the start of the test period (0 for leave-last-out).</summary>
    public long TestStart { get; private set; }

    /// <summary>The training examples.</summary>
    public TrainingExamples Train { get; private set; } = null!;

    /// <summary>Validation queries (for early stopping and model choice).</summary>
    public EvaluationQueries Validation { get; private set; } = null!;

    /// <summary>Test queries (reported metrics).</summary>
    public EvaluationQueries Test { get; private set; } = null!;

    /// <summary>Videos with an embedding: the most frequent on the training side.</summary>
    public Vocabulary Videos { get; private set; } = null!;

    /// <summary>Search tokens with an embedding: the most frequent on the training side.</summary>
    public Vocabulary Tokens { get; private set; } = null!;

    private long[] trainingEnds = [];
    private int[] trainingWatchEnds = [];

    /// <summary>
    /// The end of a user's training side in time: their searches (and, but for the last-interaction
    /// split, watches) before it are what any model may learn from (the global validation cut for a
    /// temporal split, the first held-out label's time otherwise).
    /// </summary>
    public long TrainingEndOf(int user) => trainingEnds[user];

    /// <summary>The end (exclusive) of a user's training-side watches in the watch arrays.</summary>
    public int TrainingWatchEndOf(int user) => trainingWatchEnds[user];

    /// <summary>Makes the split; the same inputs and seed always give the same examples.</summary>
    public static DataSplit Create(Timelines timelines, SplitOptions split, ExampleOptions options)
    {
        split.Validate();
        options.Validate();
        var result = new DataSplit(timelines, split, options);
        var trainEnd = new long[timelines.UserCount];
        var watchEnd = new int[timelines.UserCount];
        switch (split.Kind)
        {
            case SplitKind.Temporal:
                result.PlanTemporal(trainEnd);
                break;
            case SplitKind.LeaveLastOut:
                result.PlanLeaveLastOut(trainEnd);
                break;
            default:
                result.PlanLastInteraction(trainEnd, watchEnd);
                break;
        }
        if (split.Kind != SplitKind.LastInteraction)
        {
            for (var user = 0; user < timelines.UserCount; user++)
            {
                watchEnd[user] = timelines.WatchesBefore(user, trainEnd[user]);
            }
        }
        result.trainingEnds = trainEnd;
        result.trainingWatchEnds = watchEnd;
        result.BuildVocabularies(trainEnd);
        var windowEnd = split.Kind == SplitKind.Temporal ? result.ValidationStart : timelines.EndTime;
        result.Train = result.MakeTrainingExamples(windowEnd);
        return result;
    }

    private void PlanTemporal(long[] trainEnd)
    {
        if (Timelines.WatchCount == 0)
        {
            throw new InvalidOperationException("the dataset has no watches to split");
        }
        // Quantiles from an evenly strided sample of at most 2^20 watch times: exact for smaller
        // logs, within a millionth of the share for larger ones, and no 10M-element sort.
        var stride = Math.Max(1, Timelines.WatchCount >> 20);
        var times = new long[(Timelines.WatchCount + stride - 1) / stride];
        for (var i = 0; i < times.Length; i++)
        {
            times[i] = Timelines.WatchTime[i * stride];
        }
        Array.Sort(times);
        ValidationStart = times[Math.Min(times.Length - 1, (int)(times.Length * (1 - Split.ValidationFraction - Split.TestFraction)))];
        TestStart = times[Math.Min(times.Length - 1, (int)(times.Length * (1 - Split.TestFraction)))];
        Array.Fill(trainEnd, ValidationStart);
        Validation = MakeWindowQueries(ValidationStart, TestStart);
        Test = MakeWindowQueries(TestStart, long.MaxValue);
    }

    /// <summary>One query per user with at least one new completed watch in [from, to).</summary>
    private EvaluationQueries MakeWindowQueries(long from, long to)
    {
        var users = new List<int>();
        var historyEnds = new List<int>();
        var searchEnds = new List<int>();
        var truthStart = new List<int> { 0 };
        var truth = new List<int>();
        // Per-video marks stamped with the user's number replace per-user hash sets: O(1) and no clearing.
        var seenBy = new int[Timelines.VideoCount];
        var addedBy = new int[Timelines.VideoCount];
        for (var user = 0; user < Timelines.UserCount; user++)
        {
            var stamp = user + 1;
            var start = Timelines.WatchStart[user];
            var end = Timelines.WatchStart[user + 1];
            var historyEnd = Timelines.WatchesBefore(user, from);
            for (var i = start; i < historyEnd; i++)
            {
                seenBy[Timelines.WatchVideo[i]] = stamp;
            }
            var before = truth.Count;
            for (var i = historyEnd; i < end && Timelines.WatchTime[i] < to; i++)
            {
                var video = Timelines.WatchVideo[i];
                if (Options.IsPositive(Timelines.WatchCompletion[i]) && seenBy[video] != stamp && addedBy[video] != stamp)
                {
                    addedBy[video] = stamp;
                    truth.Add(video);
                }
            }
            if (truth.Count > before)
            {
                users.Add(user);
                historyEnds.Add(historyEnd);
                searchEnds.Add(Timelines.SearchesBefore(user, from));
                truthStart.Add(truth.Count);
            }
        }
        return new EvaluationQueries([.. users], [.. users.Select(_ => from)], [.. historyEnds], [.. searchEnds], [.. truthStart], [.. truth]);
    }

    private void PlanLeaveLastOut(long[] trainEnd)
    {
        var validation = new QueryList();
        var test = new QueryList();
        for (var user = 0; user < Timelines.UserCount; user++)
        {
            var testLabel = LastFirstTimePositive(user, long.MaxValue);
            var validationLabel = testLabel < 0 ? -1 : LastFirstTimePositive(user, Timelines.WatchTime[testLabel]);
            trainEnd[user] = validationLabel >= 0 ? Timelines.WatchTime[validationLabel]
                : testLabel >= 0 ? Timelines.WatchTime[testLabel]
                : long.MaxValue;
            if (testLabel >= 0)
            {
                test.Add(Timelines, user, testLabel);
            }
            if (validationLabel >= 0)
            {
                validation.Add(Timelines, user, validationLabel);
            }
        }
        Validation = validation.ToQueries();
        Test = test.ToQueries();
    }

    /// <summary>
    /// Per user with at least two interactions: the last is the test label, the one before it (with
    /// three or more) validation; histories are every earlier interaction in file order.
    /// </summary>
    private void PlanLastInteraction(long[] trainEnd, int[] watchEnd)
    {
        var validation = new QueryList();
        var test = new QueryList();
        for (var user = 0; user < Timelines.UserCount; user++)
        {
            var start = Timelines.WatchStart[user];
            var count = Timelines.WatchStart[user + 1] - start;
            var held = count >= 3 ? 2 : count == 2 ? 1 : 0;
            watchEnd[user] = start + count - held;
            trainEnd[user] = held == 0 ? long.MaxValue : Timelines.WatchTime[watchEnd[user]];
            if (held >= 1)
            {
                test.Add(Timelines, user, start + count - 1, historyEnd: start + count - 1);
            }
            if (held == 2)
            {
                validation.Add(Timelines, user, start + count - 2, historyEnd: start + count - 2);
            }
        }
        Validation = validation.ToQueries();
        Test = test.ToQueries();
    }

    /// <summary>
    /// The user's last completed watch before <paramref name="before"/> of a video not watched
    /// earlier (a re-watch would be masked by evaluation and could never be hit), or -1.
    /// </summary>
    private int LastFirstTimePositive(int user, long before)
    {
        var start = Timelines.WatchStart[user];
        for (var i = Timelines.WatchStart[user + 1] - 1; i >= start; i--)
        {
            if (Timelines.WatchTime[i] >= before || !Options.IsPositive(Timelines.WatchCompletion[i]))
            {
                continue;
            }
            var historyEnd = Timelines.WatchesBefore(user, Timelines.WatchTime[i]);
            if (Array.IndexOf(Timelines.WatchVideo, Timelines.WatchVideo[i], start, historyEnd - start) < 0)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Counts videos and tokens on the training side only (before each user's training end).</summary>
    private void BuildVocabularies(long[] trainEnd)
    {
        var videoCounts = new long[Timelines.VideoCount];
        var tokenCounts = new long[Timelines.TokenNames.Length];
        for (var user = 0; user < Timelines.UserCount; user++)
        {
            var watchEnd = trainingWatchEnds[user];
            for (var i = Timelines.WatchStart[user]; i < watchEnd; i++)
            {
                videoCounts[Timelines.WatchVideo[i]]++;
            }
            var searchEnd = Timelines.SearchesBefore(user, trainEnd[user]);
            for (var s = Timelines.SearchStart[user]; s < searchEnd; s++)
            {
                for (var t = Timelines.SearchTokenStart[s]; t < Timelines.SearchTokenStart[s + 1]; t++)
                {
                    tokenCounts[Timelines.SearchTokens[t]]++;
                }
            }
        }
        Videos = Vocabulary.FromCounts(videoCounts, Options.VideoVocabularySize);
        Tokens = Vocabulary.FromCounts(tokenCounts, Options.TokenVocabularySize);
    }

    private TrainingExamples MakeTrainingExamples(long windowEnd)
    {
        var users = new List<int>();
        var labels = new List<int>();
        var historyEnds = new List<int>();
        var searchEnds = new List<int>();
        var eligible = new List<int>();
        // The last-interaction split counts every interaction, and its histories follow file order.
        var everyInteraction = Split.Kind == SplitKind.LastInteraction;
        for (var user = 0; user < Timelines.UserCount; user++)
        {
            eligible.Clear();
            var end = trainingWatchEnds[user];
            for (var i = Timelines.WatchStart[user]; i < end; i++)
            {
                // A label the model has no output row for cannot be trained on (vocabulary cut).
                if ((everyInteraction || Options.IsLabel(Timelines.WatchCompletion[i])) && Videos.RowOf(Timelines.WatchVideo[i]) != Vocabulary.OutOfVocabulary)
                {
                    eligible.Add(i);
                }
            }
            if (eligible.Count > Options.MaxExamplesPerUser)
            {
                var random = SeedMixer.Random(Options.Seed, SamplingStream, user);
                for (var k = 0; k < Options.MaxExamplesPerUser; k++)
                {
                    var pick = k + random.Next(eligible.Count - k);
                    (eligible[k], eligible[pick]) = (eligible[pick], eligible[k]);
                }
                eligible.RemoveRange(Options.MaxExamplesPerUser, eligible.Count - Options.MaxExamplesPerUser);
                eligible.Sort();
            }
            foreach (var label in eligible)
            {
                users.Add(user);
                labels.Add(label);
                historyEnds.Add(everyInteraction ? label : Timelines.WatchesBefore(user, Timelines.WatchTime[label]));
                searchEnds.Add(Timelines.SearchesBefore(user, Timelines.WatchTime[label]));
            }
        }
        return new TrainingExamples([.. users], [.. labels], [.. historyEnds], [.. searchEnds], windowEnd);
    }

    /// <summary>Leave-last-out queries, one held-out watch each.</summary>
    private sealed class QueryList
    {
        private readonly List<int> users = [];
        private readonly List<long> cutoffs = [];
        private readonly List<int> historyEnds = [];
        private readonly List<int> searchEnds = [];
        private readonly List<int> truth = [];

        /// <summary>Adds a query; its history ends at <paramref name="historyEnd"/>, or by default before the label's time.</summary>
        public void Add(Timelines timelines, int user, int label, int? historyEnd = null)
        {
            var time = timelines.WatchTime[label];
            users.Add(user);
            cutoffs.Add(time);
            historyEnds.Add(historyEnd ?? timelines.WatchesBefore(user, time));
            searchEnds.Add(timelines.SearchesBefore(user, time));
            truth.Add(timelines.WatchVideo[label]);
        }

        public EvaluationQueries ToQueries() =>
            new([.. users], [.. cutoffs], [.. historyEnds], [.. searchEnds], [.. Enumerable.Range(0, truth.Count + 1)], [.. truth]);
    }
}

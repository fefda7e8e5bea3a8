using Funnel.Core;
using Funnel.Data.Model;

namespace Funnel.Data.Synthetic;

/// <summary>
/// The static part of a synthetic world: topics (each with a word vocabulary and a demographic
/// profile), channels, and videos with their hidden attributes. Videos are indexed in upload order.
/// </summary>
internal sealed class WorldCatalogue
{
    public static readonly string[] Regions = ["US", "GB", "IN", "DE", "FR", "ES", "MX", "BR", "JP", "CA"];
    public static readonly string[] RegionLanguages = ["en", "en", "en", "de", "fr", "es", "es", "pt", "ja", "en"];
    public static readonly float[] RegionWeights = [30, 8, 14, 7, 6, 6, 7, 8, 6, 8];
    public static readonly string[] Devices = ["mobile", "desktop", "tv", "tablet"];
    public static readonly float[] DeviceWeights = [55, 25, 12, 8];

    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ne", "ru", "ta", "shi", "po", "ve", "zu", "ba", "do", "fe", "gi", "ho", "ja",
        "ku", "la", "mo", "nu", "pe", "qui", "ra", "so", "ti", "vo", "wa", "xe", "yo", "ze", "bri", "cla",
    ];

    private const int WordsPerTopic = 24;
    private const int RandomStream = 1;

    private WorldCatalogue(WorldOptions options)
    {
        Options = options;
        var random = SeedMixer.Random(options.Seed, RandomStream, 0);
        var topics = options.EffectiveTopics;
        TopicWords = new string[topics][];
        TopicAgeCentre = new float[topics];
        TopicGenderSkew = new float[topics];
        TopicHomeRegion = new int[topics];
        TopicDevice = new int[topics];
        for (var t = 0; t < topics; t++)
        {
            TopicWords[t] = Enumerable.Range(0, WordsPerTopic).Select(j => Word(options.Seed, t, j)).ToArray();
            TopicAgeCentre[t] = 16 + (float)(random.NextDouble() * 50);
            TopicGenderSkew[t] = (float)(random.NextDouble() * 2 - 1);
            // A third of topics are local to one region (local news, regional music); the rest are global.
            TopicHomeRegion[t] = random.NextDouble() < 0.33 ? Sampling.Categorical(random, RegionWeights) : -1;
            TopicDevice[t] = Sampling.Categorical(random, DeviceWeights);
        }

        var channels = Math.Max(1, options.Videos / 40);
        ChannelTopic = new int[channels];
        ChannelLanguage = new string[channels];
        ChannelQuality = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            ChannelTopic[c] = random.Next(topics);
            var home = TopicHomeRegion[ChannelTopic[c]];
            ChannelLanguage[c] = RegionLanguages[home >= 0 && random.NextDouble() < 0.9 ? home : Sampling.Categorical(random, RegionWeights)];
            ChannelQuality[c] = (float)Sampling.Sigmoid(Sampling.Normal(random));
        }

        var count = options.Videos;
        var start = WorldOptions.Start.ToUnixTimeSeconds();
        var backCatalogue = WorldOptions.BackCatalogueDays * 86_400L;
        var window = options.Days * 86_400L;
        UploadTime = new long[count];
        for (var v = 0; v < count; v++)
        {
            // Half the corpus predates the window; the rest is uploaded during it.
            UploadTime[v] = random.NextDouble() < 0.5
                ? start - (long)(random.NextDouble() * backCatalogue)
                : start + (long)(random.NextDouble() * window);
        }
        Array.Sort(UploadTime);

        Channel = new int[count];
        Topic = new int[count];
        Duration = new float[count];
        Quality = new float[count];
        Popularity = new float[count];
        Clickbait = new bool[count];
        BurstStart = new long[count];
        BurstEnd = new long[count];
        Language = new string[count];
        var topicLists = Enumerable.Range(0, topics).Select(_ => new List<int>()).ToArray();
        for (var v = 0; v < count; v++)
        {
            var channel = random.Next(channels);
            Channel[v] = channel;
            Topic[v] = ChannelTopic[channel];
            Language[v] = ChannelLanguage[channel];
            Duration[v] = (float)Math.Clamp(Math.Exp(5.6 + 0.9 * Sampling.Normal(random)), 15, 7_200);
            Quality[v] = (float)Math.Clamp(ChannelQuality[channel] + 0.15 * Sampling.Normal(random), 0.01, 0.99);
            // Heavy-tailed appeal: a few videos get most of the views.
            Popularity[v] = (float)Math.Exp(1.2 * Sampling.Normal(random)) * (0.3f + Quality[v]);
            Clickbait[v] = random.NextDouble() < 0.08;
            if (random.NextDouble() < 0.02)
            {
                BurstStart[v] = Math.Max(UploadTime[v], start) + (long)Sampling.Exponential(random, 2 * 86_400);
                BurstEnd[v] = BurstStart[v] + 86_400 + (long)(random.NextDouble() * 2 * 86_400);
            }
            topicLists[Topic[v]].Add(v);
        }
        TopicVideos = topicLists.Select(l => l.ToArray()).ToArray();
        TopicUploadTimes = TopicVideos.Select(list => list.Select(v => UploadTime[v]).ToArray()).ToArray();
        ViralByDay = new int[options.Days][];
        var viral = Enumerable.Range(0, count).Where(v => BurstEnd[v] > 0).ToArray();
        for (var d = 0; d < options.Days; d++)
        {
            var dayStart = start + d * 86_400L;
            ViralByDay[d] = viral.Where(v => BurstStart[v] < dayStart + 86_400 && BurstEnd[v] > dayStart).ToArray();
        }
    }

    public WorldOptions Options { get; }

    public string[][] TopicWords { get; }

    public float[] TopicAgeCentre { get; }

    public float[] TopicGenderSkew { get; }

    /// <summary>Index into <see cref="Regions"/>, or -1 for a global topic.</summary>
    public int[] TopicHomeRegion { get; }

    public int[] TopicDevice { get; }

    public int[] ChannelTopic { get; }

    public string[] ChannelLanguage { get; }

    public float[] ChannelQuality { get; }

    public long[] UploadTime { get; }

    public int[] Channel { get; }

    public int[] Topic { get; }

    public string[] Language { get; }

    public float[] Duration { get; }

    public float[] Quality { get; }

    public float[] Popularity { get; }

    public bool[] Clickbait { get; }

    /// <summary>Start of the video's viral burst, Unix seconds; 0 when it never goes viral.</summary>
    public long[] BurstStart { get; }

    public long[] BurstEnd { get; }

    /// <summary>Per topic, its videos in upload order.</summary>
    public int[][] TopicVideos { get; }

    /// <summary>Per topic, the upload times of <see cref="TopicVideos"/>, for binary search.</summary>
    public long[][] TopicUploadTimes { get; }

    /// <summary>Per simulated day, the videos whose burst overlaps it.</summary>
    public int[][] ViralByDay { get; }

    public int TopicCount => TopicWords.Length;

    public static WorldCatalogue Create(WorldOptions options) => new(options.Validate());

    /// <summary>The public metadata of a video, as a dataset stores it.</summary>
    public Video ToVideo(int v)
    {
        var random = SeedMixer.Random(Options.Seed, 2, v);
        var words = TopicWords[Topic[v]];
        var title = string.Join(' ', Enumerable.Range(0, 3 + random.Next(3)).Select(_ => words[random.Next(words.Length)]));
        return new Video($"v{v}", $"ch{Channel[v]}", UploadTime[v], MathF.Round(Duration[v]), Language[v], title, $"topic{Topic[v]}");
    }

    private static string Word(int seed, int topic, int index)
    {
        var random = SeedMixer.Random(seed, 3, ((long)topic << 16) | (uint)index);
        var length = 2 + random.Next(2);
        var word = "";
        for (var i = 0; i < length; i++)
        {
            word += Syllables[random.Next(Syllables.Length)];
        }
        return word;
    }
}

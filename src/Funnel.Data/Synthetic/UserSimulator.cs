using Funnel.Core;
using Funnel.Data.Model;

namespace Funnel.Data.Synthetic;

/// <summary>
/// Simulates one user over the world's days from a seed of their own, so users are independent and
/// can be simulated in parallel or in any order with the same result.
/// </summary>
internal sealed class UserSimulator(WorldCatalogue catalogue)
{
    private const int UserStream = 10;
    private const int InterestTopicCount = 3;
    private const int SlateSize = 6;
    private const double SearchProbability = 0.25;
    private const double HomeSlateProbability = 0.5;
    private const double ViralProbability = 0.04;
    private const double RecentProbability = 0.65;
    private const double RecentMeanAgeSeconds = 5 * 86_400.0;
    private const int PopularityWindow = 8;

    public SimulatedUser Simulate(int userIndex)
    {
        var options = catalogue.Options;
        var random = SeedMixer.Random(options.Seed, UserStream, userIndex);
        var user = new SimulatedUser();
        var region = Sampling.Categorical(random, WorldCatalogue.RegionWeights);
        var language = random.NextDouble() < 0.9 ? WorldCatalogue.RegionLanguages[region] : WorldCatalogue.RegionLanguages[random.Next(WorldCatalogue.Regions.Length)];
        var device = Sampling.Categorical(random, WorldCatalogue.DeviceWeights);
        var gender = random.NextDouble() < 0.5 ? Gender.Female : Gender.Male;
        var age = (int)Math.Clamp(18 + Sampling.Exponential(random, 17), 13, 90);
        user.User = new User($"u{userIndex}", age, gender, WorldCatalogue.Regions[region], WorldCatalogue.Devices[device], language);
        ChooseInterests(user, random, age, gender, region, device);
        // Log-normal activity with mean SessionsPerUserDay: a few heavy users, many light ones.
        user.Activity = (float)(options.SessionsPerUserDay * Math.Exp((0.8 * Sampling.Normal(random)) - 0.32));

        var start = WorldOptions.Start.ToUnixTimeSeconds();
        var clock = start;
        var session = 0;
        Span<double> sessionStarts = stackalloc double[64];
        for (var day = 0; day < options.Days; day++)
        {
            var sessions = Math.Min(Sampling.Poisson(random, user.Activity), sessionStarts.Length);
            for (var s = 0; s < sessions; s++)
            {
                sessionStarts[s] = random.NextDouble() * 86_400;
            }
            sessionStarts[..sessions].Sort();
            for (var s = 0; s < sessions; s++)
            {
                clock = Math.Max(clock, start + (day * 86_400L) + (long)sessionStarts[s]);
                clock = RunSession(user, userIndex, session++, day, clock, random);
            }
        }
        return user;
    }

    private void ChooseInterests(SimulatedUser user, Random random, int age, Gender gender, int region, int device)
    {
        var topics = catalogue.TopicCount;
        var scores = new double[topics];
        var genderSign = gender == Gender.Female ? 1.0 : -1.0;
        for (var t = 0; t < topics; t++)
        {
            var ageGap = (age - catalogue.TopicAgeCentre[t]) / 15.0;
            scores[t] = -(ageGap * ageGap)
                + (0.8 * catalogue.TopicGenderSkew[t] * genderSign)
                + (catalogue.TopicHomeRegion[t] == region ? 1.5 : 0.0)
                + (catalogue.TopicDevice[t] == device ? 0.3 : 0.0)
                + Sampling.Gumbel(random);
        }
        var top = Enumerable.Range(0, topics).OrderByDescending(t => scores[t]).ThenBy(t => t).Take(Math.Min(InterestTopicCount, topics)).ToArray();
        var weights = top.Select(t => Math.Exp(scores[t] - scores[top[0]])).ToArray();
        var total = weights.Sum();
        user.InterestTopics = top;
        user.InterestWeights = weights.Select(w => (float)(w / total)).ToArray();
    }

    private long RunSession(SimulatedUser user, int userIndex, int session, int day, long clock, Random random)
    {
        if (random.NextDouble() < SearchProbability)
        {
            var topic = InterestOrAny(user, random, 0.9);
            var words = catalogue.TopicWords[topic];
            var first = random.Next(words.Length);
            var query = words[first];
            var extra = random.Next(3);
            for (var i = 1; i <= extra; i++)
            {
                query += " " + words[(first + (i * 7)) % words.Length];
            }
            user.Searches.Add(new Search(userIndex, clock, query));
            clock += 5 + random.Next(20);
            var results = 1 + random.Next(2);
            for (var i = 0; i < results; i++)
            {
                clock = WatchVideo(user, userIndex, PickVideo(user, topic, day, clock, random), clock, random);
            }
        }
        if (random.NextDouble() < HomeSlateProbability)
        {
            clock = ShowHomeSlate(user, userIndex, session, day, clock, random);
        }
        var browsing = 1 + Sampling.Poisson(random, 1.5);
        for (var i = 0; i < browsing; i++)
        {
            var video = PickBrowsedVideo(user, day, clock, random);
            clock = WatchVideo(user, userIndex, video, clock, random);
        }
        return clock;
    }

    private long ShowHomeSlate(SimulatedUser user, int userIndex, int session, int day, long clock, Random random)
    {
        // The logging policy: mostly the user's topics, some exploration, recent popular videos.
        Span<int> slate = stackalloc int[SlateSize];
        var filled = 0;
        for (var attempt = 0; filled < SlateSize && attempt < SlateSize * 4; attempt++)
        {
            var video = PickVideo(user, InterestOrAny(user, random, 0.6), day, clock, random);
            if (!slate[..filled].Contains(video))
            {
                slate[filled++] = video;
            }
        }
        var page = (userIndex * 1_000_000L) + session;
        var shownAt = clock;
        for (var position = 0; position < filled; position++)
        {
            var video = slate[position];
            var affinity = Affinity(user, video);
            var clicked = random.NextDouble() < AffinityModel.ClickProbability(affinity, catalogue.Clickbait[video], position);
            var seconds = 0f;
            if (clicked)
            {
                seconds = WatchSeconds(affinity, video, random);
                user.Watches.Add(new Watch(userIndex, video, clock + 1, seconds, seconds / catalogue.Duration[video]));
                clock += 1 + (long)seconds + 5 + random.Next(30);
            }
            user.Impressions.Add(new Impression(userIndex, video, shownAt, page, position, clicked, seconds));
        }
        return clock;
    }

    private long WatchVideo(SimulatedUser user, int userIndex, int video, long clock, Random random)
    {
        var seconds = WatchSeconds(Affinity(user, video), video, random);
        user.Watches.Add(new Watch(userIndex, video, clock, seconds, seconds / catalogue.Duration[video]));
        return clock + (long)seconds + 5 + random.Next(30);
    }

    private float WatchSeconds(double affinity, int video, Random random) =>
        AffinityModel.WatchSeconds(affinity, catalogue.Clickbait[video], catalogue.Duration[video], random);

    private double Affinity(SimulatedUser user, int video) =>
        AffinityModel.Affinity(user.RelativeInterest(catalogue.Topic[video]), catalogue.Quality[video], catalogue.Language[video] == user.User.Language);

    private int InterestOrAny(SimulatedUser user, Random random, double interestProbability) =>
        random.NextDouble() < interestProbability
            ? user.InterestTopics[Sampling.Categorical(random, user.InterestWeights)]
            : random.Next(catalogue.TopicCount);

    private int PickBrowsedVideo(SimulatedUser user, int day, long clock, Random random)
    {
        var viral = catalogue.ViralByDay[day];
        if (viral.Length > 0 && random.NextDouble() < ViralProbability)
        {
            var video = viral[random.Next(viral.Length)];
            if (catalogue.UploadTime[video] <= clock)
            {
                return video;
            }
        }
        return PickVideo(user, InterestOrAny(user, random, 0.8), day, clock, random);
    }

    /// <summary>
    /// A video of the topic already uploaded at <paramref name="clock"/>: usually a recent one
    /// (popularity decays with age), weighted by popularity among its upload-time neighbours, and of
    /// two such draws the one in the user's language when only one is.
    /// </summary>
    private int PickVideo(SimulatedUser user, int topic, int day, long clock, Random random)
    {
        var first = PickByAgeAndPopularity(topic, clock, random);
        var second = PickByAgeAndPopularity(topic, clock, random);
        var firstMatches = catalogue.Language[first] == user.User.Language;
        var secondMatches = catalogue.Language[second] == user.User.Language;
        if (firstMatches != secondMatches)
        {
            return firstMatches ? first : second;
        }
        return catalogue.Popularity[first] >= catalogue.Popularity[second] ? first : second;
    }

    private int PickByAgeAndPopularity(int topic, long clock, Random random)
    {
        var videos = catalogue.TopicVideos[topic];
        var uploads = catalogue.TopicUploadTimes[topic];
        var available = UploadedBy(uploads, clock);
        if (available == 0)
        {
            // Nothing of this topic is out yet: any uploaded video (half the corpus predates the window).
            return random.Next(Math.Max(1, UploadedBy(catalogue.UploadTime, clock)));
        }
        int centre;
        if (random.NextDouble() < RecentProbability)
        {
            var target = clock - (long)Sampling.Exponential(random, RecentMeanAgeSeconds);
            centre = Math.Clamp(UploadedBy(uploads, target) - 1, 0, available - 1);
        }
        else
        {
            centre = random.Next(available);
        }
        var from = Math.Max(0, centre - PopularityWindow);
        var to = Math.Min(available, centre + PopularityWindow + 1);
        Span<float> weights = stackalloc float[(2 * PopularityWindow) + 1];
        for (var i = from; i < to; i++)
        {
            weights[i - from] = catalogue.Popularity[videos[i]];
        }
        return videos[from + Sampling.Categorical(random, weights[..(to - from)])];
    }

    /// <summary>How many of the ascending upload times are at or before the time.</summary>
    private static int UploadedBy(long[] uploads, long time)
    {
        var index = Array.BinarySearch(uploads, time);
        if (index < 0)
        {
            return ~index;
        }
        while (index + 1 < uploads.Length && uploads[index + 1] == time)
        {
            index++;
        }
        return index + 1;
    }
}

using System.Globalization;

namespace Funnel.Serving.Recommendations;

/// <summary>
/// Which candidate sources run and how many videos each nominates per request; 0 turns a source
/// off. The network's nominations come through the index; co-visits and regional popularity from
/// the ranking stage's tables (<see cref="Funnel.Ranking.Sources.SourceTables"/>); fresh uploads
/// from the videos posted to <c>/admin/videos</c>. The ranker scores the merged, deduplicated list.
/// Co-visits and regional are off by default: with rankers that learned from the network's lists
/// alone they lowered the offline slate on MovieLens and a synthetic world (<c>docs/results.md</c>).
/// </summary>
/// <param name="Network">Candidates the network retrieves from the index.</param>
/// <param name="CoVisits">Videos most co-visited with the user's last watches.</param>
/// <param name="Regional">The most watched videos of the user's region.</param>
/// <param name="Fresh">Uploads since training that match the user's channels, topics and languages.</param>
/// <param name="FreshSlots">Slate positions the fresh source may claim from the lowest-ranked others.</param>
public sealed record CandidateSources(int Network = 300, int CoVisits = 0, int Regional = 0, int Fresh = 20, int FreshSlots = 2)
{
    /// <summary>The source name of the network's nominations.</summary>
    public const string NetworkName = "candidates";

    /// <summary>The co-visits source's name.</summary>
    public const string CoVisitsName = "covisits";

    /// <summary>The regional source's name.</summary>
    public const string RegionalName = "regional";

    /// <summary>The form <see cref="Parse"/> reads, for help texts.</summary>
    public const string Syntax = "candidates=N,covisits=N,regional=N,fresh=N,fresh-slots=N";

    /// <summary>Most nominations any one source may make per request.</summary>
    public const int MaxPerSource = ServiceOptions.MaxK;

    /// <summary>Whether a source that reads the ranking stage's tables runs (so a model needs them loaded).</summary>
    public bool ReadsTables => CoVisits > 0 || Regional > 0;

    /// <summary>Fails naming the count out of range.</summary>
    public CandidateSources Validate()
    {
        foreach (var (name, value) in Counts())
        {
            if (value is < 0 or > MaxPerSource)
            {
                throw new ArgumentException($"--sources: {name} must be 0 to {MaxPerSource}, got {value}");
            }
        }
        return Network < 1 ? throw new ArgumentException($"--sources: {NetworkName} must be at least 1 (the ranker needs the network's nominations), got {Network}") : this;
    }

    /// <summary>Reads <see cref="Syntax"/> (any subset, in any order) over <paramref name="defaults"/>.</summary>
    public static CandidateSources Parse(string text, CandidateSources defaults)
    {
        var sources = defaults;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !int.TryParse(part[(equals + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                throw new ArgumentException($"--sources: '{part}' is not NAME=COUNT (expected {Syntax})");
            }
            sources = part[..equals] switch
            {
                NetworkName => sources with { Network = value },
                CoVisitsName => sources with { CoVisits = value },
                RegionalName => sources with { Regional = value },
                FreshSource.Name => sources with { Fresh = value },
                "fresh-slots" => sources with { FreshSlots = value },
                var name => throw new ArgumentException($"--sources: unknown source '{name}' (expected {Syntax})"),
            };
        }
        return sources.Validate();
    }

    /// <summary>The sources as <see cref="Parse"/> reads them.</summary>
    public override string ToString() => string.Join(',', Counts().Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name}={c.Value}")));

    private (string Name, int Value)[] Counts() =>
        [(NetworkName, Network), (CoVisitsName, CoVisits), (RegionalName, Regional), (FreshSource.Name, Fresh), ("fresh-slots", FreshSlots)];
}

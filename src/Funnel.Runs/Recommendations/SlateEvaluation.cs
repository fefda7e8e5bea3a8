using System.Diagnostics;
using System.Globalization;
using Funnel.Data.Examples;
using Funnel.Data.Storage;
using Funnel.Evaluation;
using Funnel.Serving.Models;
using Funnel.Serving.Recommendations;
using Funnel.Serving.Store;

namespace Funnel.Runs.Recommendations;

/// <summary>
/// The whole funnel offline: for every test query, the service's own pipeline (state from the
/// user's logged events strictly before the query time, user vector, the candidate sources, the
/// ranker, the popularity top-up) serves a slate as of that time, and the slate is scored like any retrieval
/// model's list (model name <see cref="ModelName"/>). The request carries what a live one does
/// (device, region, language), not the gender and age the candidate evaluation feeds the network.
/// </summary>
public static class SlateEvaluation
{
    /// <summary>The name the final slate's metrics are reported under.</summary>
    public const string ModelName = "funnel-slate";

    /// <summary>Scores the final slates of <paramref name="modelFolder"/> on the split's test queries.</summary>
    /// <param name="dataset">The dataset the split was made from.</param>
    /// <param name="split">The candidate model's split.</param>
    /// <param name="evaluator">The evaluator the other models were scored by (same queries, same cut-offs).</param>
    /// <param name="modelFolder">A model folder with both stages.</param>
    /// <param name="sources">The candidate sources of each slate (fresh uploads have none offline).</param>
    /// <param name="log">Progress lines, or null.</param>
    /// <param name="cancellation">Stops the work.</param>
    public static async Task<IReadOnlyList<MetricValue>> EvaluateAsync(Dataset dataset, DataSplit split, RetrievalEvaluator evaluator, string modelFolder, CandidateSources sources, Action<string>? log = null, CancellationToken cancellation = default)
    {
        using var served = await ServingModel.LoadAsync(modelFolder, sources.ReadsTables, cancellation).ConfigureAwait(false);
        var watches = await dataset.ReadWatchesAsync(cancellation).FlattenAsync().ConfigureAwait(false);
        var searches = await dataset.ReadSearchesAsync(cancellation).FlattenAsync().ConfigureAwait(false);
        var impressions = await dataset.ReadImpressionsAsync(cancellation).FlattenAsync().ConfigureAwait(false);
        var watchesOf = watches.ToLookup(w => w.User);
        var searchesOf = searches.ToLookup(s => s.User);
        var impressionsOf = impressions.ToLookup(i => i.User);
        var indexOf = new Dictionary<string, int>(dataset.Videos.Count, StringComparer.Ordinal);
        for (var v = 0; v < dataset.Videos.Count; v++)
        {
            indexOf.TryAdd(dataset.Videos[v].Id, v);
        }
        var recommender = new Recommender(sources);
        var k = evaluator.Options.Cutoffs.Max();
        var queries = split.Test;
        var clock = Stopwatch.StartNew();
        var reported = TimeSpan.Zero;
        var slates = 0;
        return evaluator.Evaluate(ModelName, queries, query =>
        {
            cancellation.ThrowIfCancellationRequested();
            var user = queries.User[query];
            var profile = dataset.Users[user];
            var events = LoggedEvents.Before(dataset.Videos, watchesOf[user], searchesOf[user], impressionsOf[user], queries.Cutoff[query]);
            var context = ProfileContext.Of(profile);
            var slate = recommender.Recommend(served, profile.Id, k, context, [], events, queries.Cutoff[query], debug: false);
            slates++;
            if (log is not null && clock.Elapsed - reported >= TimeSpan.FromSeconds(10))
            {
                reported = clock.Elapsed;
                log(string.Create(CultureInfo.InvariantCulture, $"evaluate: funnel-slate {slates:N0}/{queries.Count:N0} slates, {slates / clock.Elapsed.TotalSeconds:N0} slates/s"));
            }
            return [.. slate.Items.Select(item => indexOf.GetValueOrDefault(item.VideoId, -1)).Where(v => v >= 0)];
        });
    }
}

using Funnel.Data.Storage;
using Funnel.Serving.Models;
using Funnel.Serving.State;
using Funnel.Serving.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Serving.Hosting;

/// <summary><c>funnel serve --history DATA</c>: a built service's store filled from a dataset before it listens (<see cref="HistoryLoad"/>).</summary>
public static class ServiceHistory
{
    /// <summary>Loads <paramref name="dataPath"/>'s events into <paramref name="app"/>'s event store; call before the app starts.</summary>
    /// <param name="app">A service built by <see cref="ServiceHost.BuildAsync"/>.</param>
    /// <param name="dataPath">The dataset folder.</param>
    /// <param name="progress">Called about once a second.</param>
    /// <param name="cancellation">Stops between users.</param>
    public static async Task<HistoryLoadResult> LoadAsync(WebApplication app, string dataPath, Action<HistoryLoadProgress>? progress = null, CancellationToken cancellation = default)
    {
        var options = app.Services.GetRequiredService<ServiceOptions>();
        var dataset = await Dataset.OpenAsync(dataPath, cancellation).ConfigureAwait(false);
        if (dataset.Users.Count > options.MaxUsers)
        {
            throw new ArgumentException($"--history {dataPath}: {dataset.Users.Count:N0} users, more than the store keeps (--max-users {options.MaxUsers:N0}); raise --max-users");
        }
        var uploads = app.Services.GetRequiredService<FreshUploads>().Videos;
        using var lease = app.Services.GetRequiredService<ModelHolder>().Acquire()
            ?? throw new InvalidOperationException("no model is loaded to check the history's video ids against");
        var catalogue = lease.Model.Catalogue;
        return await HistoryLoad.RunAsync(dataset, app.Services.GetRequiredService<IEventStore>(), id => catalogue.Contains(id) || uploads.ContainsKey(id), progress, cancellation).ConfigureAwait(false);
    }
}

namespace Funnel.Serving.Models;

/// <summary>
/// The model being served, swapped atomically: a request leases the current model and keeps it to
/// the end even if a reload swaps in another meanwhile; the old model is disposed when its last
/// request finishes.
/// </summary>
public sealed class ModelHolder : IDisposable
{
    private ServingModel? current;

    /// <summary>Starts with <paramref name="initial"/> (or nothing).</summary>
    public ModelHolder(ServingModel? initial = null) => current = initial;

    /// <summary>The version being served, or null.</summary>
    public string? Version => Volatile.Read(ref current)?.Version;

    /// <summary>A lease on the current model (dispose it when the request ends), or null when none is loaded.</summary>
    public ModelLease? Acquire()
    {
        while (true)
        {
            var model = Volatile.Read(ref current);
            if (model is null)
            {
                return null;
            }
            if (model.TryAcquire())
            {
                return new ModelLease(model);
            }
            // Retired and disposed between the read and the lease: read the new one.
        }
    }

    /// <summary>Serves <paramref name="model"/> from now on; the previous one retires.</summary>
    public void Swap(ServingModel model)
    {
        var previous = Interlocked.Exchange(ref current, model);
        previous?.Retire();
    }

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref current, null)?.Retire();
}

/// <summary>A request's hold on a model.</summary>
public sealed class ModelLease(ServingModel model) : IDisposable
{
    private int released;

    /// <summary>The model.</summary>
    public ServingModel Model { get; } = model;

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0)
        {
            Model.Release();
        }
    }
}

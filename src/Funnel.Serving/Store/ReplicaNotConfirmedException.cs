namespace Funnel.Serving.Store;

/// <summary>An append the primary took but no replica confirmed in time: the events may be lost in a failover, and a retry may store them twice.</summary>
public sealed class ReplicaNotConfirmedException : Exception
{
    /// <summary>An exception with no message.</summary>
    public ReplicaNotConfirmedException()
    {
    }

    /// <summary>An exception with <paramref name="message"/>.</summary>
    public ReplicaNotConfirmedException(string message)
        : base(message)
    {
    }

    /// <summary>An exception with <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public ReplicaNotConfirmedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

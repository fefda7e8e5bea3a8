namespace Funnel.Serving.Store;

/// <summary>When <c>POST /v1/events</c> answers that the events are stored.</summary>
public enum Acknowledgement
{
    /// <summary>Once the primary holding the user has them (the embedded store: fsynced). With asynchronous replication a primary's crash before it ships them loses them.</summary>
    Primary,

    /// <summary>Once at least one replica of that primary has them too (<c>WAIT 1</c>): a failover to that replica keeps them.</summary>
    Replica,
}

namespace Funnel.Retrieval;

/// <summary>
/// <c>using var _ = gate.Read();</c> in place of enter/try/finally/exit: the indexes take their
/// lock in every public member, and the scope releases it however the member ends.
/// </summary>
internal static class LockScopes
{
    /// <summary>Holds the read lock until disposed.</summary>
    public static ReadScope Read(this ReaderWriterLockSlim gate)
    {
        gate.EnterReadLock();
        return new ReadScope(gate);
    }

    /// <summary>Holds the write lock until disposed.</summary>
    public static WriteScope Write(this ReaderWriterLockSlim gate)
    {
        gate.EnterWriteLock();
        return new WriteScope(gate);
    }

    /// <summary>A held read lock.</summary>
    internal readonly ref struct ReadScope(ReaderWriterLockSlim gate)
    {
        public void Dispose() => gate.ExitReadLock();
    }

    /// <summary>A held write lock.</summary>
    internal readonly ref struct WriteScope(ReaderWriterLockSlim gate)
    {
        public void Dispose() => gate.ExitWriteLock();
    }
}

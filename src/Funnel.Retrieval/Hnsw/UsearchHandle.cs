using Microsoft.Win32.SafeHandles;

namespace Funnel.Retrieval.Hnsw;

/// <summary>Owns a native USearch index and frees it exactly once, even if the owner is never disposed.</summary>
internal sealed class UsearchHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public UsearchHandle(IntPtr index)
        : base(ownsHandle: true) => SetHandle(index);

    protected override bool ReleaseHandle()
    {
        UsearchNative.Free(handle, out _);
        return true;
    }
}

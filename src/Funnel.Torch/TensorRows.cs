using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Funnel.Torch;

/// <summary>
/// The rows of a contiguous float32 CPU tensor as spans, read and written in place. Loops over a
/// few thousand table rows run here instead of as libtorch operations, whose per-call dispatch and
/// temporaries cost more than the arithmetic (the row updates of the embedding tables). The view
/// holds no reference: the tensor must outlive it.
/// </summary>
public readonly unsafe partial struct TensorRows
{
    private readonly float* start;

    /// <summary>Views <paramref name="tensor"/> as rows of its last dimension.</summary>
    public TensorRows(Tensor tensor)
    {
        if (tensor.dtype != ScalarType.Float32 || tensor.device_type != DeviceType.CPU || !tensor.is_contiguous() || tensor.dim() == 0)
        {
            throw new ArgumentException($"expected a contiguous float32 CPU tensor of at least one dimension, got {tensor.dtype} {tensor.device_type} [{string.Join(", ", tensor.shape)}]", nameof(tensor));
        }
        start = (float*)DataOf(tensor.Handle);
        Width = checked((int)tensor.shape[^1]);
        Count = Width == 0 ? 0 : tensor.numel() / Width;
    }

    /// <summary>Rows in the view.</summary>
    public long Count { get; }

    /// <summary>Values per row.</summary>
    public int Width { get; }

    /// <summary>Every value of the tensor, in place.</summary>
    public Span<float> Values => new(start, checked((int)(Count * Width)));

    /// <summary>Row <paramref name="row"/>, in place.</summary>
    public Span<float> this[long row] => (ulong)row < (ulong)Count
        ? new Span<float>(start + (row * Width), Width)
        : throw new ArgumentOutOfRangeException(nameof(row), row, $"the view has {Count} rows");

    /// <summary>The values of a contiguous one-dimensional int64 CPU tensor, copied into <paramref name="destination"/> (which must be as long).</summary>
    public static void CopyInt64(Tensor vector, Span<long> destination)
    {
        if (vector.dtype != ScalarType.Int64 || vector.device_type != DeviceType.CPU || !vector.is_contiguous() || vector.numel() != destination.Length)
        {
            throw new ArgumentException($"expected {destination.Length} contiguous int64 values on the CPU, got {vector.dtype} {vector.device_type} [{string.Join(", ", vector.shape)}]", nameof(vector));
        }
        new ReadOnlySpan<long>((void*)DataOf(vector.Handle), destination.Length).CopyTo(destination);
    }

    /// <summary>
    /// A new contiguous int64 CPU tensor of <paramref name="shape"/> and its values to fill in place:
    /// no managed array to allocate and copy (a fresh large array per request costs page faults).
    /// </summary>
    public static Tensor NewInt64(ReadOnlySpan<long> shape, out Span<long> values)
    {
        var tensor = torch.empty(shape, ScalarType.Int64);
        values = new Span<long>((void*)DataOf(tensor.Handle), checked((int)tensor.numel()));
        return tensor;
    }

    /// <summary>The address of a tensor's first element (TorchSharp's own native library, which TorchSharp has loaded; it exposes no managed pointer).</summary>
    [LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_data")]
    private static partial IntPtr DataOf(IntPtr tensor);

    /// <summary>The address of <paramref name="tensor"/>'s first element: the same for every view of one storage offset, which identifies a table.</summary>
    public static nint Address(Tensor tensor) => DataOf(tensor.Handle);
}

using System.Globalization;
using System.IO.Hashing;

namespace Funnel.Core;

/// <summary>A data file of a folder as its manifest records it: name, size and XxHash3 checksum.</summary>
/// <param name="Name">The file's name, relative to the folder.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="XxHash3">Its 64-bit XxHash3, 16 hex digits.</param>
public sealed record FileChecksum(string Name, long Bytes, string XxHash3);

/// <summary>
/// Sizes and checksums of a folder's files, written into its manifest and checked before anything is
/// read: overwritten or truncated bytes are an error naming the file, never a model that loads and
/// then answers garbage.
/// </summary>
public static class FileChecksums
{
    /// <summary>The size and checksum of <paramref name="name"/> in <paramref name="folder"/> (read in a stream).</summary>
    public static FileChecksum Of(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        var hash = new XxHash3();
        using (var stream = File.OpenRead(path))
        {
            hash.Append(stream);
        }
        return new FileChecksum(name, new FileInfo(path).Length, Hex(hash.GetCurrentHashAsUInt64()));
    }

    /// <summary>The size and checksum of bytes about to be written as <paramref name="name"/>.</summary>
    public static FileChecksum Of(string name, ReadOnlySpan<byte> bytes) => new(name, bytes.Length, Hex(System.IO.Hashing.XxHash3.HashToUInt64(bytes)));

    /// <summary>Every listed file, in order.</summary>
    public static IReadOnlyList<FileChecksum> Of(string folder, IEnumerable<string> names) => [.. names.Select(name => Of(folder, name))];

    /// <summary>
    /// Checks that every file <paramref name="manifest"/> lists is in <paramref name="folder"/> with
    /// its size and checksum; the first that is not fails with its path and what differs.
    /// </summary>
    public static void Verify(string folder, IEnumerable<FileChecksum> files, string manifest)
    {
        foreach (var file in files)
        {
            var path = Path.Combine(folder, file.Name);
            if (!File.Exists(path))
            {
                throw new InvalidDataException($"{path} is missing (listed in {manifest})");
            }
            // The size first, before reading a byte: a FIFO or device put in a file's place has none,
            // and reading it would block.
            var bytes = new FileInfo(path).Length;
            if (bytes != file.Bytes)
            {
                throw new InvalidDataException($"{path} has {bytes:N0} bytes, {manifest} says {file.Bytes:N0}: the file is truncated or was replaced");
            }
            if (bytes == 0)
            {
                // Nothing to hash, and a FIFO listed as empty must not be read either.
                continue;
            }
            var actual = Of(folder, file.Name);
            if (!string.Equals(actual.XxHash3, file.XxHash3, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{path} is corrupt: its checksum is {actual.XxHash3}, {manifest} says {file.XxHash3}");
            }
        }
    }

    private static string Hex(ulong hash) => hash.ToString("x16", CultureInfo.InvariantCulture);
}

// Compiled by MSBuild's RoslynCodeTaskFactory (build/TorchSharpNativePatch.targets) and, for its
// tests, linked into tests/Funnel.Build.Tests. Keep it one self-contained file.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Funnel.Build
{
    /// <summary>
    /// Marks one symbol-version requirement of a shared library weak, so the dynamic loader only
    /// warns when the system library lacks that version instead of refusing to load.
    /// </summary>
    /// <remarks>
    /// TorchSharp 0.107's libLibTorchSharp.so requires GLIBCXX_3.4.32 for a single symbol
    /// (std::ios_base_library_init) that GCC 13 headers reference only to pull in a newer
    /// libstdc++; no relocation uses it. Debian 12's libstdc++ stops at 3.4.30. Setting VER_FLG_WEAK
    /// on that one requirement is the whole fix (../shared/NOTES.md). The task patches copies in
    /// build and publish folders only, and only when the system library lacks the version.
    /// </remarks>
    public sealed class MarkVersionNeedWeak : Microsoft.Build.Utilities.Task
    {
        /// <summary>Candidate files to patch; missing ones are ignored.</summary>
        [Required]
        public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>The version requirement to weaken, e.g. GLIBCXX_3.4.32.</summary>
        [Required]
        public string VersionName { get; set; } = "";

        /// <summary>Paths where the system library that should define the version may live.</summary>
        [Required]
        public ITaskItem[] SystemLibraryCandidates { get; set; } = Array.Empty<ITaskItem>();

        /// <inheritdoc />
        public override bool Execute()
        {
            string? systemLibrary = null;
            foreach (var candidate in SystemLibraryCandidates)
            {
                if (File.Exists(candidate.ItemSpec))
                {
                    systemLibrary = candidate.ItemSpec;
                    break;
                }
            }
            if (systemLibrary is null)
            {
                Log.LogMessage(MessageImportance.Low, "No system library found among the candidates; nothing to patch.");
                return true;
            }
            if (ElfVersions.DefinesVersion(File.ReadAllBytes(systemLibrary), VersionName))
            {
                Log.LogMessage(MessageImportance.Low, $"{systemLibrary} defines {VersionName}; nothing to patch.");
                return true;
            }
            foreach (var item in Files)
            {
                var path = item.ItemSpec;
                if (!File.Exists(path))
                {
                    continue;
                }
                var outcome = ElfVersions.MarkNeedWeakInFile(path, VersionName);
                Log.LogMessage(MessageImportance.Normal, $"{path}: {VersionName} requirement {outcome}.");
            }
            return true;
        }
    }

    /// <summary>What <see cref="ElfVersions.MarkNeedWeakInFile"/> did.</summary>
    public enum WeakenOutcome
    {
        /// <summary>The flag was set and the file rewritten.</summary>
        Weakened,

        /// <summary>The flag was already set; the file was not touched.</summary>
        AlreadyWeak,

        /// <summary>The file does not require that version; the file was not touched.</summary>
        NotRequired,
    }

    /// <summary>Reads and edits the GNU symbol-versioning sections of an ELF64 little-endian file.</summary>
    public static class ElfVersions
    {
        private const uint SectionTypeVersionDefinitions = 0x6ffffffd; // SHT_GNU_verdef
        private const uint SectionTypeVersionNeeds = 0x6ffffffe; // SHT_GNU_verneed
        private const ushort WeakFlag = 0x2; // VER_FLG_WEAK

        /// <summary>Whether the library's version definitions (.gnu.version_d) include the name.</summary>
        public static bool DefinesVersion(byte[] elf, string versionName)
        {
            foreach (var section in Sections(elf, SectionTypeVersionDefinitions))
            {
                var strings = StringTable(elf, section.Link);
                long definition = section.Offset;
                for (var i = 0; i < section.Info; i++)
                {
                    // Elf64_Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32, vd_aux u32, vd_next u32.
                    var count = ReadU16(elf, definition + 6);
                    long aux = definition + ReadU32(elf, definition + 12);
                    for (var j = 0; j < count; j++)
                    {
                        // Elf64_Verdaux: vda_name u32, vda_next u32.
                        if (ReadString(elf, strings + ReadU32(elf, aux)) == versionName)
                        {
                            return true;
                        }
                        aux += ReadU32(elf, aux + 4);
                    }
                    var next = ReadU32(elf, definition + 16);
                    if (next == 0)
                    {
                        break;
                    }
                    definition += next;
                }
            }
            return false;
        }

        /// <summary>
        /// Finds the Elf64_Vernaux entry named <paramref name="versionName"/> in .gnu.version_r and
        /// returns the file offset of its vna_flags field, or -1 when the file does not require it.
        /// </summary>
        public static long FindNeedFlagsOffset(byte[] elf, string versionName)
        {
            foreach (var section in Sections(elf, SectionTypeVersionNeeds))
            {
                var strings = StringTable(elf, section.Link);
                long need = section.Offset;
                for (var i = 0; i < section.Info; i++)
                {
                    // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
                    var count = ReadU16(elf, need + 2);
                    long aux = need + ReadU32(elf, need + 8);
                    for (var j = 0; j < count; j++)
                    {
                        // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                        if (ReadString(elf, strings + ReadU32(elf, aux + 8)) == versionName)
                        {
                            return aux + 4;
                        }
                        aux += ReadU32(elf, aux + 12);
                    }
                    var next = ReadU32(elf, need + 12);
                    if (next == 0)
                    {
                        break;
                    }
                    need += next;
                }
            }
            return -1;
        }

        /// <summary>Sets VER_FLG_WEAK on the requirement in memory; returns what it did.</summary>
        public static WeakenOutcome MarkNeedWeak(byte[] elf, string versionName)
        {
            var flagsOffset = FindNeedFlagsOffset(elf, versionName);
            if (flagsOffset < 0)
            {
                return WeakenOutcome.NotRequired;
            }
            var flags = ReadU16(elf, flagsOffset);
            if ((flags & WeakFlag) != 0)
            {
                return WeakenOutcome.AlreadyWeak;
            }
            var weakened = (ushort)(flags | WeakFlag);
            elf[flagsOffset] = (byte)weakened;
            elf[flagsOffset + 1] = (byte)(weakened >> 8);
            return WeakenOutcome.Weakened;
        }

        /// <summary>
        /// Patches a file through a temporary copy (which keeps the file mode) and a rename, so a hard
        /// link into the NuGet cache is replaced rather than written through, and a crash never leaves
        /// a half-written library. The modification time is kept so MSBuild's incremental copy does
        /// not recopy the unpatched original over it.
        /// </summary>
        public static WeakenOutcome MarkNeedWeakInFile(string path, string versionName)
        {
            var bytes = File.ReadAllBytes(path);
            var flagsOffset = FindNeedFlagsOffset(bytes, versionName);
            var outcome = MarkNeedWeak(bytes, versionName);
            if (outcome != WeakenOutcome.Weakened)
            {
                return outcome;
            }
            var lastWrite = File.GetLastWriteTimeUtc(path);
            var temporary = path + ".funnel-patch.tmp";
            File.Copy(path, temporary, true);
            using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.Write))
            {
                stream.Position = flagsOffset;
                stream.Write(bytes, (int)flagsOffset, 2);
            }
            File.SetLastWriteTimeUtc(temporary, lastWrite);
            File.Replace(temporary, path, null);
            return outcome;
        }

        private readonly struct Section
        {
            public Section(long offset, uint link, uint info)
            {
                Offset = offset;
                Link = link;
                Info = info;
            }

            public long Offset { get; }

            public uint Link { get; }

            public uint Info { get; }
        }

        private static IEnumerable<Section> Sections(byte[] elf, uint type)
        {
            RequireElf64LittleEndian(elf);
            var headerOffset = (long)ReadU64(elf, 0x28); // e_shoff
            var headerSize = ReadU16(elf, 0x3A); // e_shentsize
            var headerCount = ReadU16(elf, 0x3C); // e_shnum
            for (var i = 0; i < headerCount; i++)
            {
                var header = headerOffset + (long)i * headerSize;
                if (ReadU32(elf, header + 4) == type)
                {
                    yield return new Section((long)ReadU64(elf, header + 0x18), ReadU32(elf, header + 0x28), ReadU32(elf, header + 0x2C));
                }
            }
        }

        private static long StringTable(byte[] elf, uint sectionIndex)
        {
            var header = (long)ReadU64(elf, 0x28) + (long)sectionIndex * ReadU16(elf, 0x3A);
            return (long)ReadU64(elf, header + 0x18);
        }

        private static void RequireElf64LittleEndian(byte[] elf)
        {
            if (elf.Length < 0x40 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            {
                throw new InvalidDataException("not an ELF file");
            }
            if (elf[4] != 2 || elf[5] != 1)
            {
                throw new InvalidDataException($"only ELF64 little-endian is supported (class {elf[4]}, data {elf[5]})");
            }
        }

        private static string ReadString(byte[] elf, long offset)
        {
            var end = Array.IndexOf(elf, (byte)0, checked((int)offset));
            if (end < 0)
            {
                throw new InvalidDataException($"unterminated string at offset {offset}");
            }
            return Encoding.ASCII.GetString(elf, (int)offset, end - (int)offset);
        }

        private static ushort ReadU16(byte[] elf, long offset) => (ushort)ReadLittleEndian(elf, offset, 2);

        private static uint ReadU32(byte[] elf, long offset) => (uint)ReadLittleEndian(elf, offset, 4);

        private static ulong ReadU64(byte[] elf, long offset) => ReadLittleEndian(elf, offset, 8);

        // RoslynCodeTaskFactory compiles against netstandard2.0: no spans or BinaryPrimitives there.
        private static ulong ReadLittleEndian(byte[] elf, long offset, int length)
        {
            if (offset < 0 || offset + length > elf.Length)
            {
                throw new InvalidDataException($"ELF structure points outside the file (offset {offset}, file length {elf.Length})");
            }
            ulong value = 0;
            for (var i = length - 1; i >= 0; i--)
            {
                value = (value << 8) | elf[offset + i];
            }
            return value;
        }
    }
}

using System.Text;

namespace Funnel.Build.Tests;

/// <summary>
/// Builds the smallest ELF64 little-endian file that has a dynamic string table and either a
/// .gnu.version_r (requirements on libstdc++.so.6) or a .gnu.version_d (definitions).
/// </summary>
internal static class TinyElf
{
    private const int HeaderSize = 64;
    private const int SectionHeaderSize = 64;

    public static byte[] WithRequirements(params string[] versions) => Build(versions, isDefinition: false);

    public static byte[] WithDefinitions(params string[] versions) => Build(versions, isDefinition: true);

    private static byte[] Build(string[] versions, bool isDefinition)
    {
        // Dynamic string table: "\0libstdc++.so.6\0<v1>\0<v2>\0..."
        var strings = new MemoryStream();
        strings.WriteByte(0);
        var fileName = (int)strings.Length;
        strings.Write(Encoding.ASCII.GetBytes("libstdc++.so.6\0"));
        var names = new List<int>();
        foreach (var version in versions)
        {
            names.Add((int)strings.Length);
            strings.Write(Encoding.ASCII.GetBytes(version + "\0"));
        }
        var stringTable = strings.ToArray();

        var versionSection = new MemoryStream();
        var writer = new BinaryWriter(versionSection);
        if (isDefinition)
        {
            for (var i = 0; i < versions.Length; i++)
            {
                // Elf64_Verdef (20 bytes) followed by one Elf64_Verdaux (8 bytes).
                writer.Write((ushort)1);
                writer.Write((ushort)0);
                writer.Write((ushort)(i + 1));
                writer.Write((ushort)1);
                writer.Write(0u);
                writer.Write(20u);
                writer.Write(i == versions.Length - 1 ? 0u : 28u);
                writer.Write((uint)names[i]);
                writer.Write(0u);
            }
        }
        else
        {
            // One Elf64_Verneed (16 bytes) for libstdc++.so.6, then one Elf64_Vernaux (16 bytes) per version.
            writer.Write((ushort)1);
            writer.Write((ushort)versions.Length);
            writer.Write((uint)fileName);
            writer.Write(16u);
            writer.Write(0u);
            for (var i = 0; i < versions.Length; i++)
            {
                writer.Write(0x0abcdef0u);
                writer.Write((ushort)0);
                writer.Write((ushort)(i + 2));
                writer.Write((uint)names[i]);
                writer.Write(i == versions.Length - 1 ? 0u : 16u);
            }
        }
        var versionBytes = versionSection.ToArray();

        var stringOffset = HeaderSize;
        var versionOffset = stringOffset + stringTable.Length;
        var sectionHeaderOffset = versionOffset + versionBytes.Length;
        var file = new MemoryStream();
        var output = new BinaryWriter(file);
        output.Write(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0 });
        output.Write(new byte[8]);
        output.Write((ushort)3); // e_type ET_DYN
        output.Write((ushort)62); // e_machine x86-64
        output.Write(1u);
        output.Write(0ul); // e_entry
        output.Write(0ul); // e_phoff
        output.Write((ulong)sectionHeaderOffset);
        output.Write(0u);
        output.Write((ushort)HeaderSize);
        output.Write((ushort)0);
        output.Write((ushort)0);
        output.Write((ushort)SectionHeaderSize);
        output.Write((ushort)3); // null, .dynstr, version section
        output.Write((ushort)0);
        output.Write(stringTable);
        output.Write(versionBytes);
        output.Write(new byte[SectionHeaderSize]);
        WriteSectionHeader(output, type: 3, offset: stringOffset, size: stringTable.Length, link: 0, info: 0);
        WriteSectionHeader(output, type: isDefinition ? 0x6ffffffdu : 0x6ffffffeu, offset: versionOffset, size: versionBytes.Length, link: 1, info: (uint)(isDefinition ? versions.Length : 1));
        return file.ToArray();
    }

    private static void WriteSectionHeader(BinaryWriter output, uint type, int offset, int size, uint link, uint info)
    {
        output.Write(0u); // sh_name
        output.Write(type);
        output.Write(0ul); // sh_flags
        output.Write(0ul); // sh_addr
        output.Write((ulong)offset);
        output.Write((ulong)size);
        output.Write(link);
        output.Write(info);
        output.Write(8ul); // sh_addralign
        output.Write(0ul); // sh_entsize
    }
}

using System.Diagnostics;

namespace Funnel.Build.Tests;

public sealed class ElfVersionsTests
{
    [Fact]
    public void Weakens_only_the_named_requirement()
    {
        var elf = TinyElf.WithRequirements("GLIBCXX_3.4.30", "GLIBCXX_3.4.32");
        var targetFlags = ElfVersions.FindNeedFlagsOffset(elf, "GLIBCXX_3.4.32");
        var otherFlags = ElfVersions.FindNeedFlagsOffset(elf, "GLIBCXX_3.4.30");

        var outcome = ElfVersions.MarkNeedWeak(elf, "GLIBCXX_3.4.32");

        Assert.Equal(WeakenOutcome.Weakened, outcome);
        Assert.Equal(0x2, elf[targetFlags]);
        Assert.Equal(0x0, elf[otherFlags]);
    }

    [Fact]
    public void A_second_pass_changes_nothing()
    {
        var elf = TinyElf.WithRequirements("GLIBCXX_3.4.32");
        ElfVersions.MarkNeedWeak(elf, "GLIBCXX_3.4.32");
        var once = (byte[])elf.Clone();

        var outcome = ElfVersions.MarkNeedWeak(elf, "GLIBCXX_3.4.32");

        Assert.Equal(WeakenOutcome.AlreadyWeak, outcome);
        Assert.Equal(once, elf);
    }

    [Fact]
    public void A_library_without_the_requirement_is_left_alone()
    {
        var elf = TinyElf.WithRequirements("GLIBCXX_3.4.30");
        var before = (byte[])elf.Clone();

        Assert.Equal(WeakenOutcome.NotRequired, ElfVersions.MarkNeedWeak(elf, "GLIBCXX_3.4.32"));
        Assert.Equal(before, elf);
    }

    [Theory]
    [InlineData("GLIBCXX_3.4.30", true)] // the newest version Debian 12's libstdc++ defines
    [InlineData("GLIBCXX_3.4.32", false)] // the one TorchSharp 0.107 asks for
    public void Reads_which_versions_a_library_defines(string version, bool defined)
    {
        var library = TinyElf.WithDefinitions("GLIBCXX_3.4", "GLIBCXX_3.4.29", "GLIBCXX_3.4.30");

        Assert.Equal(defined, ElfVersions.DefinesVersion(library, version));
    }

    [Fact]
    public void Rejects_a_file_that_is_not_elf()
    {
        var error = Assert.Throws<InvalidDataException>(() => ElfVersions.MarkNeedWeak(new byte[100], "GLIBCXX_3.4.32"));
        Assert.Contains("not an ELF file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Patching_a_hard_link_leaves_the_original_untouched()
    {
        var folder = Directory.CreateTempSubdirectory("funnel-elf-");
        try
        {
            var original = Path.Combine(folder.FullName, "cache.so");
            var copy = Path.Combine(folder.FullName, "output.so");
            File.WriteAllBytes(original, TinyElf.WithRequirements("GLIBCXX_3.4.32"));
            using (var link = Process.Start("ln", [original, copy]))
            {
                link.WaitForExit();
                Assert.Equal(0, link.ExitCode);
            }

            Assert.Equal(WeakenOutcome.Weakened, ElfVersions.MarkNeedWeakInFile(copy, "GLIBCXX_3.4.32"));

            Assert.Equal(WeakenOutcome.AlreadyWeak, ElfVersions.MarkNeedWeak(File.ReadAllBytes(copy), "GLIBCXX_3.4.32"));
            Assert.Equal(WeakenOutcome.Weakened, ElfVersions.MarkNeedWeak(File.ReadAllBytes(original), "GLIBCXX_3.4.32"));
            Assert.False(File.Exists(copy + ".funnel-patch.tmp"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

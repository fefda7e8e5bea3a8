namespace Funnel.Data;

/// <summary>
/// Writes a folder through a staging sibling and renames, so a reader or a crash sees either the
/// whole old folder or the whole new one, never a mix of their files.
/// </summary>
public static class AtomicFolder
{
    /// <summary>Lets <paramref name="write"/> fill a new staging folder, then swaps it in for <paramref name="folder"/>.</summary>
    public static void Write(string folder, Action<string> write)
    {
        var target = Path.GetFullPath(folder);
        var staging = $"{target}.tmp-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            write(staging);
            var retired = $"{target}.old-{Guid.NewGuid():N}";
            if (Directory.Exists(target))
            {
                Directory.Move(target, retired);
            }
            Directory.Move(staging, target);
            if (Directory.Exists(retired))
            {
                Directory.Delete(retired, recursive: true);
            }
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
            throw;
        }
    }
}

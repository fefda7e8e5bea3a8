namespace Funnel.Core;

/// <summary>
/// Writes a file through a temporary sibling and a rename, so a reader or a crash never sees a
/// half-written file and an existing one stays whole until the new one is complete.
/// </summary>
public static class AtomicFile
{
    /// <summary>Lets <paramref name="write"/> fill a temporary path, then moves it over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write)
    {
        var temporary = path + ".tmp";
        write(temporary);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Writes text atomically.</summary>
    public static void WriteAllText(string path, string text) => Write(path, temporary => File.WriteAllText(temporary, text));
}

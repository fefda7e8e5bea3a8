using System.Text.Json;

namespace Funnel.Core;

/// <summary>Reads the JSON manifests of model folders, with errors that name the file, line and field.</summary>
public static class ManifestFile
{
    /// <summary>
    /// Reads <paramref name="path"/> as a <typeparamref name="T"/> whose format version must be
    /// <paramref name="currentVersion"/>; <paramref name="missing"/> says what a missing file means.
    /// </summary>
    public static T Read<T>(string path, JsonSerializerOptions options, Func<T, int> formatVersion, int currentVersion, string missing)
        where T : class
    {
        if (!File.Exists(path))
        {
            throw new DataFormatException(path, $"missing: {missing}");
        }
        RequireContent(path);
        T? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<T>(File.ReadAllText(path), options);
        }
        catch (JsonException error)
        {
            throw new DataFormatException(path, error.LineNumber is { } line ? line + 1 : 0, error.Path ?? "", $"not a valid manifest: {error.Message}");
        }
        if (manifest is null || formatVersion(manifest) != currentVersion)
        {
            throw new DataFormatException(path, 0, "formatVersion", $"format {(manifest is null ? "(none)" : formatVersion(manifest))} is not {currentVersion}: retrain with this version");
        }
        return manifest;
    }

    /// <summary>
    /// Fails unless <paramref name="path"/> has bytes to read: a FIFO or device in a manifest's place
    /// reports none, and reading it would block.
    /// </summary>
    public static void RequireContent(string path)
    {
        if (new FileInfo(path).Length == 0)
        {
            throw new DataFormatException(path, "empty, or not a regular file");
        }
    }
}

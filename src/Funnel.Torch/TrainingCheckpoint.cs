using System.Text.Json;
using Funnel.Core;

namespace Funnel.Torch;

/// <summary>
/// The one checkpoint format both trainers use: a folder (swapped in whole after every epoch, so a
/// crash leaves the previous epoch's or the new one's, never a mix) holding the trainer's tensors and
/// trainer.json, whose fingerprint must match the resuming trainer's.
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>The folder (inside the checkpoint folder) holding the last complete epoch's state.</summary>
    public const string Folder = "checkpoint";

    private const string StateFile = "trainer.json";

    /// <summary>Writes <paramref name="state"/> and, through <paramref name="writeTensors"/> into the staging folder, the tensors.</summary>
    public static void Save<TState>(string checkpoints, TState state, Action<string> writeTensors)
    {
        Directory.CreateDirectory(checkpoints);
        AtomicFolder.Write(Path.Combine(checkpoints, Folder), staging =>
        {
            writeTensors(staging);
            File.WriteAllText(Path.Combine(staging, StateFile), JsonSerializer.Serialize(state, FunnelJson.Files));
        });
    }

    /// <summary>
    /// The saved state and its folder, or null when <paramref name="checkpoints"/> holds none. A state
    /// whose <paramref name="fingerprintOf"/> differs from <paramref name="fingerprint"/> was written by
    /// another run (options or data) and is refused rather than resumed.
    /// </summary>
    public static (TState State, string Folder)? TryRead<TState>(string checkpoints, Func<TState, string?> fingerprintOf, string fingerprint)
        where TState : class
    {
        var folder = Path.Combine(checkpoints, Folder);
        var path = Path.Combine(folder, StateFile);
        if (!File.Exists(path))
        {
            return null;
        }
        TState? state;
        try
        {
            state = JsonSerializer.Deserialize<TState>(File.ReadAllText(path), FunnelJson.Files);
        }
        catch (JsonException error)
        {
            throw new DataFormatException(path, error.LineNumber is { } line ? line + 1 : 0, error.Path ?? "", $"not a checkpoint state: {error.Message}");
        }
        if (state is null)
        {
            throw new DataFormatException(path, "empty checkpoint state");
        }
        if (fingerprintOf(state) != fingerprint)
        {
            throw new InvalidOperationException($"{folder} was written with other options or data; resume with the same ones (only --epochs may change) or use another output folder");
        }
        return (state, folder);
    }
}

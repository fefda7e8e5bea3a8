namespace Funnel.Serving.Store;

/// <summary>
/// The folder of an embedded store's Unix socket: a temporary folder only this user can enter
/// (0700), held by this process through an exclusive lock on a file in it for as long as the store
/// runs. A process killed with SIGKILL cannot delete its folder, but its lock goes with it, so each
/// new folder first removes the folders of stores whose owner is gone.
/// </summary>
internal sealed class SocketFolder : IDisposable
{
    private const string Prefix = "funnel-store-";
    private const string LockName = "owner.lock";

    /// <summary>A folder without its lock file yet is one being made: left alone until this old.</summary>
    private static readonly TimeSpan Settling = TimeSpan.FromMinutes(1);

    private readonly DirectoryInfo folder;
    private readonly FileStream owner;
    private bool disposed;

    private SocketFolder(DirectoryInfo folder, FileStream owner)
    {
        this.folder = folder;
        this.owner = owner;
    }

    /// <summary>The folder's path.</summary>
    public string FullName => folder.FullName;

    /// <summary>Removes the folders of dead stores, then makes and locks a new one.</summary>
    public static SocketFolder Create()
    {
        RemoveAbandoned();
        var folder = Directory.CreateTempSubdirectory(Prefix);
        return new SocketFolder(folder, Lock(Path.Combine(folder.FullName, LockName), FileMode.CreateNew));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        owner.Dispose();
        try
        {
            folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Already gone, or not removable now: unlocked, so the next store to start removes it.
        }
    }

    /// <summary>
    /// Deletes every store folder whose lock no process holds (its owner died) and every old one
    /// without a lock file; folders of other users, or held, stay.
    /// </summary>
    private static void RemoveAbandoned()
    {
        foreach (var candidate in new DirectoryInfo(Path.GetTempPath()).EnumerateDirectories(Prefix + "*"))
        {
            try
            {
                var lockFile = Path.Combine(candidate.FullName, LockName);
                if (File.Exists(lockFile))
                {
                    // Opened only if no live process holds it; closed before the folder goes.
                    Lock(lockFile, FileMode.Open).Dispose();
                }
                else if (DateTime.UtcNow - candidate.CreationTimeUtc < Settling)
                {
                    continue;
                }
                candidate.Delete(recursive: true);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Held by a running store, or not ours to remove.
            }
        }
    }

    /// <summary>An exclusive lock on the file (an advisory lock other processes see).</summary>
    private static FileStream Lock(string path, FileMode mode) => new(path, mode, FileAccess.ReadWrite, FileShare.None);
}

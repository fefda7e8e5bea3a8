using System.Runtime.InteropServices;

namespace Funnel.Torch;

/// <summary>
/// The process's native environment (libc's environ). On Linux, .NET's
/// Environment.SetEnvironmentVariable changes only a managed copy that native libraries such as
/// libgomp never read, so OpenMP settings must go through libc.
/// </summary>
internal static partial class NativeEnvironment
{
    public static void Set(string name, string value)
    {
        if (OperatingSystem.IsWindows())
        {
            Environment.SetEnvironmentVariable(name, value);
            return;
        }
        if (SetEnv(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv({name}) failed with errno {Marshal.GetLastPInvokeError()}");
        }
        Environment.SetEnvironmentVariable(name, value);
    }

    public static string? Get(string name)
    {
        if (OperatingSystem.IsWindows())
        {
            return Environment.GetEnvironmentVariable(name);
        }
        var pointer = GetEnv(name);
        return pointer == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(pointer);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);
}

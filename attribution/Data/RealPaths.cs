using System.Runtime.InteropServices;

namespace Saliency.Attribution.Data;

/// <summary>Where a path really leads: made absolute, <c>..</c> folded and every symbolic link followed, by the C library's <c>realpath</c>.</summary>
public static class RealPaths
{
    /// <summary>The path with every link resolved; for a path that does not exist yet, its deepest existing ancestor resolved.</summary>
    public static string Of(string path)
    {
        path = Path.GetFullPath(path);
        var buffer = RealPathNative(path, IntPtr.Zero);
        if (buffer != IntPtr.Zero)
        {
            try { return Marshal.PtrToStringUTF8(buffer)!; }
            finally { Free(buffer); }
        }
        var parent = Path.GetDirectoryName(path);
        return parent is null || parent == path ? path : Path.Combine(Of(parent), Path.GetFileName(path));
    }

    /// <summary>Whether <paramref name="path"/>, already real, is <paramref name="root"/> or lies below it.</summary>
    public static bool IsWithin(string path, string root) =>
        path == root || path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>
    /// The bytes of the file at <paramref name="realPath"/>, a real path judged earlier, refused if what was opened is no
    /// longer that file: a link swapped in on the way since it was judged is found by where the open handle leads.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The file opened is another than the one judged.</exception>
    public static byte[] ReadJudged(string realPath)
    {
        using var stream = new FileStream(realPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        var opened = new FileInfo($"/proc/self/fd/{stream.SafeFileHandle.DangerousGetHandle()}").LinkTarget;
        if (opened is not null && opened != realPath)
            throw new UnauthorizedAccessException($"'{realPath}' led elsewhere when it was opened than when it was judged; it is not read");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    // The path goes as UTF-8, stated by MarshalAs; CA2101 knows only the ANSI and UTF-16 char sets.
#pragma warning disable CA2101
    [DllImport("libc", EntryPoint = "realpath")]
    static extern IntPtr RealPathNative([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);
#pragma warning restore CA2101

    [DllImport("libc", EntryPoint = "free")]
    static extern void Free(IntPtr pointer);
}

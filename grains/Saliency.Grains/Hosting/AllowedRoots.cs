using System.Runtime.InteropServices;
using Saliency.Attribution.Models;
using Saliency.Attribution.Sweeps;

namespace Saliency.Grains.Hosting;

/// <summary>
/// The folders a silo reads specs' data and model files from. A path is judged by where it really
/// leads — made absolute, <c>..</c> folded, every symbolic link followed — so neither <c>..</c> nor a
/// link can reach outside. No roots means no restriction (the embedded default on one's own machine).
/// </summary>
public sealed class AllowedRoots(IReadOnlyList<string> roots)
{
    readonly IReadOnlyList<string> resolved = roots.Select(r => RealPath(Path.GetFullPath(r))).ToArray();

    public bool Restricted => resolved.Count > 0;

    /// <summary>Throws, naming the path and the allowed roots, when <paramref name="path"/> leads outside them.</summary>
    public void Require(string path, string what)
    {
        if (!Restricted) return;
        var real = RealPath(Path.GetFullPath(path));
        if (resolved.Any(root => real == root || real.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal))) return;
        throw new UnauthorizedAccessException(
            $"{what} '{path}' leads to {real}, outside this silo's allowed roots ({string.Join(", ", resolved)})");
    }

    /// <summary>Checks every path a spec reads: a folder of images and a model file.</summary>
    public void Require(SweepSpec spec)
    {
        if (spec.Selection.Kind == "folder") Require(spec.Selection.Location, "data folder");
        if (!ModelLoader.IsBuiltIn(spec.Model.Reference)) Require(spec.Model.Reference, "model file");
        if (spec.Labels is not null) Require(spec.Labels, "labels file");
    }

    /// <summary>The path with every link resolved; for a path that does not exist yet, its deepest existing ancestor resolved.</summary>
    static string RealPath(string path)
    {
        var buffer = RealPathNative(path, IntPtr.Zero);
        if (buffer != IntPtr.Zero)
        {
            try { return Marshal.PtrToStringUTF8(buffer)!; }
            finally { Free(buffer); }
        }
        var parent = Path.GetDirectoryName(path);
        return parent is null || parent == path ? path : Path.Combine(RealPath(parent), Path.GetFileName(path));
    }

    // The path goes as UTF-8, stated by MarshalAs; CA2101 knows only the ANSI and UTF-16 char sets.
#pragma warning disable CA2101
    [DllImport("libc", EntryPoint = "realpath")]
    static extern IntPtr RealPathNative([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);
#pragma warning restore CA2101

    [DllImport("libc", EntryPoint = "free")]
    static extern void Free(IntPtr pointer);
}

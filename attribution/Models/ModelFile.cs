namespace Saliency.Attribution.Models;

/// <summary>
/// A model file is read once, whole, under <see cref="MaxBytes"/>: the checks (<see cref="PickleGuard"/>,
/// <see cref="SafetensorsHeader"/>) and the loader then take the same bytes, so nothing written to the file after it
/// was checked can reach the loader.
/// </summary>
public static class ModelFile
{
    /// <summary>
    /// The largest model file taken: 2 GB. The largest architecture known here, resnet152, is 240 MB of float32
    /// weights; the file is held in one array while it loads, and .NET caps an array's length just under 2 GiB. The
    /// same cap bounds what a pickled state dict's archive may unpack to (<see cref="PickleGuard"/>).
    /// </summary>
    public const long MaxBytes = 2_000_000_000;

    /// <summary>The bytes of <paramref name="path"/>, refused before any is read where the file is larger than <see cref="MaxBytes"/>.</summary>
    /// <exception cref="InvalidDataException">The file is larger than the cap, or changed size while it was read.</exception>
    public static byte[] Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var length = file.Length;
        if (length > MaxBytes)
            throw new InvalidDataException($"model file {path} is {length} bytes, more than the {MaxBytes} bytes a model file may hold");
        var bytes = new byte[length];
        // Bounded by the length taken above, so a file that grows while it is read is refused rather than read further.
        if (file.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length || file.ReadByte() != -1)
            throw new InvalidDataException($"model file {path} changed size while it was read");
        return bytes;
    }
}

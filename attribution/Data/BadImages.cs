namespace Saliency.Attribution.Data;

/// <summary>What a sweep does with an image file that cannot be read: fail the work that needs it, or skip it and go on.</summary>
public enum BadImagePolicy { Fail, Skip }

/// <summary>An image left out of a shard because it could not be read, with the file and the reason.</summary>
public sealed record SkippedImage(int Key, string File, string Reason);

/// <summary>An image that cannot be read: a missing, empty, truncated, corrupt or non-image file. It fails the same way every time.</summary>
public sealed class BadImageException(int key, string file, string reason)
    : IOException($"{file}: {reason}")
{
    public int Key { get; } = key;
    public string File { get; } = file;
    public string Reason { get; } = reason;

    public SkippedImage AsSkipped() => new(Key, File, Reason);
}

public static class BadImagePolicies
{
    public static IReadOnlyList<string> Names { get; } = ["fail", "skip"];

    public static BadImagePolicy Parse(string text) => text switch
    {
        "fail" => BadImagePolicy.Fail,
        "skip" => BadImagePolicy.Skip,
        _ => throw new ArgumentException($"unknown bad-image policy '{text}' (known: {string.Join(", ", Names)})"),
    };
}

namespace Saliency.Attribution.Sweeps.Engine;

/// <summary>
/// The specs this process parsed last, by file name and text: a spec is parsed once per process, whichever role asks
/// for it. A client, the admission of a submission and a worker each live in a process of their own in a cluster, and
/// each parses the spec once; in an embedded run, where all three share one process, the spec is parsed once in all.
/// A <see cref="SweepSpec"/> is immutable, so the roles share it. A spec that fails to parse is not kept: each asking
/// gets its error.
/// </summary>
public static class ParsedSpecs
{
    /// <summary>How many specs are kept; a process runs few sweeps at once, and each text is at most <see cref="SweepSpec.MaxBytes"/>.</summary>
    public const int Kept = 8;

    static readonly Lock Gate = new();
    static readonly LinkedList<(string File, string Text, SweepSpec Spec)> Recent = new();

    /// <summary>The spec <paramref name="text"/> of <paramref name="file"/> holds, parsed now or taken from an earlier parse of the same text.</summary>
    /// <exception cref="SweepSpecException">The text is not a valid spec; the message names the field.</exception>
    public static SweepSpec Parse(string text, string file)
    {
        lock (Gate)
            for (var node = Recent.First; node is not null; node = node.Next)
                if (node.Value.File == file && node.Value.Text == text) return node.Value.Spec;
        var spec = SweepSpec.Parse(text, file);
        lock (Gate)
        {
            Recent.AddFirst((file, text, spec));
            if (Recent.Count > Kept) Recent.RemoveLast();
        }
        return spec;
    }
}

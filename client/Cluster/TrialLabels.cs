namespace Saliency.Cli.Cluster;

/// <summary>Trial labels made short for a table: the <c>key=value</c> parameters every trial shares are taken out, to be said once.</summary>
public static class TrialLabels
{
    /// <returns>The parameters all labels share, in the first label's order, and each label without them.</returns>
    public static (IReadOnlyList<string> Shared, IReadOnlyList<string> Labels) Shorten(IReadOnlyList<string> labels)
    {
        if (labels.Count < 2) return ([], labels);
        var tokens = labels.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var shared = tokens[0].Where(token => token.Contains('=') && tokens.All(t => t.Contains(token))).ToArray();
        return (shared, tokens.Select(t => string.Join(' ', t.Where(token => !shared.Contains(token)))).ToArray());
    }
}

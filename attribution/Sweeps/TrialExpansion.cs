namespace Saliency.Attribution.Sweeps;

/// <summary>Turns a sweep's methods into numbered trials: the full grid, or seeded random draws.</summary>
public static class TrialExpansion
{
    /// <summary>Methods in order, each method's grid with its last parameter varying fastest.</summary>
    public static IReadOnlyList<Trial> Grid(IReadOnlyList<MethodSweep> methods) =>
        methods.SelectMany(method => method.Grid().Select(parameters => (method.Method, parameters)))
            .Select((trial, index) => new Trial(index, trial.Method, trial.parameters))
            .ToArray();

    /// <summary>
    /// <paramref name="count"/> distinct trials, each a method drawn uniformly, then each of its parameters
    /// uniformly from its list or range, by <see cref="Random"/> seeded with <paramref name="seed"/>.
    /// A repeated draw is dropped; when the space holds fewer distinct trials than asked, fewer are returned.
    /// </summary>
    public static IReadOnlyList<Trial> Sample(IReadOnlyList<MethodSweep> methods, int count, long seed)
    {
        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var trials = new List<Trial>(count);
        var labels = new HashSet<string>();
        // Bounded so a small space (fewer distinct trials than asked) cannot loop forever.
        for (var attempt = 0L; trials.Count < count && attempt < 100L * count; attempt++)
        {
            var method = methods[random.Next(methods.Count)];
            var trial = new Trial(trials.Count, method.Method, method.Draw(random));
            if (labels.Add(trial.Label)) trials.Add(trial);
        }
        return trials;
    }
}

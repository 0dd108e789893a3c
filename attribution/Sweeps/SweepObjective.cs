namespace Saliency.Attribution.Sweeps;

/// <summary>
/// What a sweep ranks trials by, as the mean over images of a per-image value:
/// <c>insertion-deletion</c> (insertion AUC − deletion AUC, higher is better), <c>insertion</c> (higher),
/// <c>deletion</c> (lower) or <c>delta</c> (|completeness delta|, lower).
/// </summary>
public sealed record SweepObjective
{
    public const string InsertionMinusDeletion = "insertion-deletion", Insertion = "insertion", Deletion = "deletion", Delta = "delta";

    public static IReadOnlyList<string> Names { get; } = new[] { InsertionMinusDeletion, Insertion, Deletion, Delta };

    public static SweepObjective Default { get; } = new(InsertionMinusDeletion);

    SweepObjective(string name) => Name = name;

    public string Name { get; }

    public bool HigherIsBetter => Name is InsertionMinusDeletion or Insertion;

    /// <summary>The metrics (<see cref="SweepSpec.MetricNames"/>) a sweep must measure to compute this objective.</summary>
    public IReadOnlyList<string> Metrics => Name switch
    {
        InsertionMinusDeletion => new[] { SweepSpec.Deletion, SweepSpec.Insertion },
        Insertion => new[] { SweepSpec.Insertion },
        Deletion => new[] { SweepSpec.Deletion },
        _ => new[] { SweepSpec.Completeness },
    };

    public static SweepObjective Parse(string text) =>
        Names.Contains(text)
            ? new SweepObjective(text)
            : throw new ArgumentException($"unknown objective '{text}' (known: {string.Join(", ", Names)})");

    /// <summary>The image's value, or null when it lacks a metric the objective needs (delta of a non-path method).</summary>
    public double? Of(ImageOutcome image) => Name switch
    {
        InsertionMinusDeletion => image.InsertionAuc - image.DeletionAuc,
        Insertion => image.InsertionAuc,
        Deletion => image.DeletionAuc,
        _ => image.Delta is { } delta ? Math.Abs(delta) : null,
    };

    /// <summary>The mean over images, or null when no image has a value.</summary>
    public double? Of(IEnumerable<ImageOutcome> images)
    {
        var values = images.Select(Of).OfType<double>().ToArray();
        return values.Length == 0 ? null : values.Average();
    }

    public override string ToString() => Name;
}

using System.Globalization;
using Saliency.Attribution.Data;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Metrics.Localisation;
using Saliency.Attribution.Rendering;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Results;

/// <summary>
/// <c>comparison.png</c>: the saved maps of a few sampled images (rows) under the best trials (columns),
/// read back from the map store, with each image's deletion and insertion AUC under its panel. Only
/// images that every chosen trial saved a map of, and that the image set holds, are shown. Where the images have
/// ground-truth masks, each row carries its mask's outline.
/// </summary>
public sealed record SampledComparison(IReadOnlyList<Trial> Trials, IReadOnlyList<int> Keys)
{
    public const string FileName = "comparison.png";
    public const int MaxImages = 6;
    public const int MaxTrials = 6;

    /// <summary>The best trials that saved maps and the images they share; null when there are none to show.</summary>
    public static SampledComparison? Choose(string runDirectory, IReadOnlyList<TrialSummary> ranked, ImageSet images)
    {
        var held = images.Keys.ToHashSet();
        var trials = ranked
            .Where(summary => summary.Failure is null)
            .Select(summary => (summary.Trial, Keys: MapStore.Keys(runDirectory, summary.Trial.Index).Where(held.Contains).ToHashSet()))
            .Where(trial => trial.Keys.Count > 0)
            .Take(MaxTrials)
            .ToList();
        if (trials.Count == 0) return null;
        var keys = trials.Select(trial => trial.Keys).Aggregate((common, next) => common.Intersect(next).ToHashSet())
            .Order().Take(MaxImages).ToList();
        return keys.Count == 0 ? null : new SampledComparison(trials.Select(trial => trial.Trial).ToList(), keys);
    }

    /// <summary>Whether the outcome of <paramref name="key"/> in trial <paramref name="trial"/> captions a panel.</summary>
    public bool Shows(int trial, int key) => Keys.Contains(key) && Trials.Any(t => t.Index == trial);

    /// <summary>The sheet; <paramref name="outcomes"/> holds the shown images' outcomes by (trial, key), for the captions.</summary>
    public ComparisonSheet Build(string runDirectory, ImageSet images, IReadOnlyDictionary<(int Trial, int Key), ImageOutcome> outcomes)
    {
        var positionOfKey = new Dictionary<int, int>();
        for (var position = 0; position < images.Count; position++)
            positionOfKey.TryAdd(images.Keys[position], position);
        return new ComparisonSheet
        {
            Shape = images.Shape,
            Images = Keys.Select(key => images.Image(positionOfKey[key]).ToArray()).ToList(),
            ImageCaptions = Keys.Select(key => (string?)ImageCaption(images, positionOfKey[key])).ToList(),
            Masks = images.Masks is { } masks ? Keys.Select(key => (GroundTruthMask?)masks[positionOfKey[key]]).ToList() : null,
            ColumnTitles = Trials.Select(trial => trial.Label).ToList(),
            Maps = Keys.Select(key => (IReadOnlyList<float[]>)Trials
                .Select(trial => MapStore.Read(runDirectory, trial.Index, key)?.Map
                    ?? throw new FileNotFoundException($"the map of image {key} in trial {trial.Index} is gone", MapStore.PathOf(runDirectory, trial.Index, key)))
                .ToList()).ToList(),
            Captions = Keys.Select(key => (IReadOnlyList<string?>)Trials
                .Select(trial => outcomes.TryGetValue((trial.Index, key), out var outcome) ? Caption(outcome) : null)
                .ToList()).ToList(),
        };
    }

    static string ImageCaption(ImageSet images, int position)
    {
        var label = images.Labels[position];
        var name = label >= 0 && label < images.ClassNames.Count ? images.ClassNames[label]
            : label == ImageFolder.NoLabel ? "" : label.ToString(CultureInfo.InvariantCulture);
        return $"#{images.Keys[position]} {name}".TrimEnd();
    }

    static string? Caption(ImageOutcome outcome)
    {
        var parts = new List<string>();
        if (outcome.Metric(DeletionMetric.AucColumn) is { } deletion) parts.Add($"del {deletion.ToString("F3", CultureInfo.InvariantCulture)}");
        if (outcome.Metric(InsertionMetric.AucColumn) is { } insertion) parts.Add($"ins {insertion.ToString("F3", CultureInfo.InvariantCulture)}");
        return parts.Count == 0 ? null : string.Join("  ", parts);
    }
}

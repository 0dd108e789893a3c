using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Metrics;

/// <summary>
/// The maps of one shard of images as the metrics judge them, and what the metrics share: the model, the images with
/// their targets and masks, the method that made the maps (which max-sensitivity runs again), and work done once per
/// image and reused by every metric that needs it (<see cref="Shared{T}"/>). Each metric records its values here, by
/// the result column they belong to, and the trial's outcome is read from it.
/// </summary>
public sealed class ImageJudging
{
    readonly Dictionary<string, double>[] values;
    readonly Dictionary<string, MetricCurve>[] curves;
    readonly Dictionary<string, object> shared = new(StringComparer.Ordinal);

    public ImageJudging(JudgingSettings settings, ImageClassifier model, ImageSet images, IReadOnlyList<ImageAttribution> maps, IAttributionMethod method)
    {
        if (maps.Count != images.Count) throw new ArgumentException($"{maps.Count} maps for {images.Count} images", nameof(maps));
        (Settings, Model, Images, Maps, Method) = (settings, model, images, maps, method);
        values = Enumerable.Range(0, images.Count).Select(_ => new Dictionary<string, double>(StringComparer.Ordinal)).ToArray();
        curves = Enumerable.Range(0, images.Count).Select(_ => new Dictionary<string, MetricCurve>(StringComparer.Ordinal)).ToArray();
    }

    public JudgingSettings Settings { get; }
    public ImageClassifier Model { get; }
    public ImageSet Images { get; }
    public IReadOnlyList<ImageAttribution> Maps { get; }
    public IAttributionMethod Method { get; }
    public int Count => Images.Count;

    /// <summary>
    /// A fresh copy of the model, from which deletion and insertion to a tolerance may make a cheaper proxy
    /// (<see cref="CurveProxy"/>); without it, every point is the model's own.
    /// </summary>
    public Func<ImageClassifier>? ModelCopy { get; init; }

    /// <summary>
    /// The model's bfloat16 copy where it runs clearly faster (<see cref="ProxyPrecision"/>), measured once per model and image
    /// shape; null where it does not, or without <see cref="ModelCopy"/>.
    /// </summary>
    public ImageClassifier? CurveProxy() => ModelCopy is { } copy
        ? Model.ProxyFor(Images.Shape, () => ProxyPrecision.Choose(Model, Images.Shape, Settings.Batch, copy))
        : null;

    /// <summary>
    /// Told of each image done by the metric now measuring, for metrics that make passes (<see cref="MetricDescriptor.Passes"/>);
    /// the runner sets it before each such pass.
    /// </summary>
    public Action<int>? Scored { get; set; }

    /// <summary>
    /// Runs <paramref name="metrics"/> in turn, each in its own span. For <paramref name="progress"/>, computing the maps and
    /// each metric's passes over the images (<see cref="MetricDescriptor.Passes"/>) count as equal parts, told in images'
    /// worth of work done, and a pass moves image by image.
    /// </summary>
    /// <exception cref="InvalidOperationException">A metric cannot be computed on these maps.</exception>
    public void Measure(IEnumerable<MetricDescriptor> metrics, Action<double>? progress = null)
    {
        var list = metrics.ToList();
        var passes = 1 + list.Sum(m => m.Passes(Settings));
        var pass = 1;
        progress?.Invoke(Count / (double)passes);
        foreach (var metric in list)
        {
            using var span = Telemetry.AttributionTelemetry.Source.StartActivity($"score {metric.Name}");
            var first = pass;
            pass += metric.Passes(Settings);
            Scored = progress is null ? null : scored => progress(Count * (first + scored / (double)Count) / passes);
            metric.Measure(this);
        }
        Scored = null;
    }

    /// <summary>The image's ground-truth mask, or null where it has none.</summary>
    public Localisation.GroundTruthMask? MaskOf(int image) => Images.Masks?[image];

    /// <summary>Records the value of <paramref name="column"/> on image <paramref name="image"/> (its position in the shard).</summary>
    public void Record(int image, string column, double value) => values[image][column] = value;

    /// <summary>Records the curve that a column's value summarises, so that the results can show it.</summary>
    public void Record(int image, string column, MetricCurve curve) => curves[image][column] = curve;

    public IReadOnlyDictionary<string, double> ValuesOf(int image) => values[image];

    public IReadOnlyDictionary<string, MetricCurve> CurvesOf(int image) => curves[image];

    /// <summary>
    /// What <paramref name="compute"/> gives, computed the first time <paramref name="key"/> is asked for and reused after,
    /// so that work several metrics need (the model's score on a substrate, the map's pixel order) is done once.
    /// </summary>
    public T Shared<T>(string key, Func<T> compute) where T : notnull
    {
        if (shared.TryGetValue(key, out var found)) return (T)found;
        var value = compute();
        shared[key] = value;
        return value;
    }
}

/// <summary>A curve a metric's value summarises: the model's score at each fraction of the pixels moved, fractions ascending.</summary>
public sealed record MetricCurve(IReadOnlyList<double> Fractions, IReadOnlyList<double> Scores);

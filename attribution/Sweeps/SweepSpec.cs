using Saliency.Attribution.Data;
using Saliency.Attribution.Data.GroundTruth;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Sweeps;

/// <summary>
/// A sweep as its file declares it: which model and images, which methods with which parameter values,
/// what to measure, how to cut the images into shards. It is checked whole when parsed, without loading
/// the model or the data, so a sweep never starts from a file that would fail later.
/// <code>
/// name: fashion-baselines
/// model: fashion-cnn
/// data: fashion-mnist:test:0-999
/// methods:
///   ig: { baseline: [black, blur:5], steps: [16, 64], rule: [gausslegendre, riemann_trapezoid] }
///   gradcam: {}
/// metrics: [deletion, insertion, completeness]
/// </code>
/// Lists expand as a grid (<see cref="Trials"/>); with <see cref="Sample"/> set, that many trials are
/// drawn instead, and parameters may also be ranges <c>{min: A, max: B, log: true}</c>.
/// </summary>
public sealed class SweepSpec
{
    /// <summary>
    /// What a sweep's name may be: letters, digits, '.', '_' and '-', at most 100 of them, so the id made of it stays
    /// one path component well under the 255 bytes file systems allow.
    /// </summary>
    public const string NamePattern = "[A-Za-z0-9._-]{1,100}";

    /// <summary>
    /// The most trials any spec may expand to, counted before a single one is made: far above what a silo's own limit
    /// (<c>Saliency:Limits:MaxTrials</c>) lets run, so that parsing alone stays bounded in memory and time.
    /// </summary>
    public const int MaxTrials = 100_000;

    /// <summary>The deepest nesting of mappings and lists a spec may have; a real one needs five.</summary>
    public const int MaxDepth = 32;

    internal SweepSpec() { }

    /// <summary>The file as written, so a run can store exactly what it ran.</summary>
    public required string Text { get; init; }
    /// <summary>Where the text came from, as used in error messages.</summary>
    public required string File { get; init; }

    public required string Name { get; init; }
    public SweepModel Model { get; init; } = SweepModel.BuiltIn;
    /// <summary>The image selection as written, e.g. <c>fashion-mnist:test:0-999</c>.</summary>
    public required string Data { get; init; }
    public required ImageSelection Selection { get; init; }
    public Target Target { get; init; } = Target.Predicted;
    public required IReadOnlyList<MethodSweep> Methods { get; init; }
    /// <summary>Names from <see cref="MetricCatalog.Names"/>, in the order the spec lists them.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = MetricCatalog.Defaults(groundTruth: false);

    /// <summary>The descriptors of <see cref="Metrics"/>, in catalogue order, which is the order they run and their columns show.</summary>
    public IReadOnlyList<MetricDescriptor> MetricDescriptors => [.. MetricCatalog.All.Where(m => Metrics.Contains(m.Name))];

    /// <summary>What the metrics read: the spec's metrics, substrates, step, batch, seed and score.</summary>
    public JudgingSettings Judging => new(Metrics, DeletionSubstrates, InsertionSubstrates, MetricStep, Batch.Size ?? CausalMetric.DefaultBatchSize, Seed, Score);
    /// <summary>The sanity checks every trial runs (<see cref="Sanity.SanityChecks.Names"/>), in the order the spec lists them.</summary>
    public IReadOnlyList<string> Sanity { get; init; } = [];
    /// <summary>
    /// What deletion fades to, one curve each (<c>substrate: {deletion: [blur, black]}</c>): the first gives
    /// <c>deletion_auc</c>, each other a column of its own (<see cref="CausalCurveMetric.ColumnOf"/>).
    /// </summary>
    public IReadOnlyList<Substrate> DeletionSubstrates { get; init; } = [Substrate.Blur];
    /// <summary>What insertion starts from, as <see cref="DeletionSubstrates"/>.</summary>
    public IReadOnlyList<Substrate> InsertionSubstrates { get; init; } = [Substrate.Blur];
    public Substrate DeletionSubstrate => DeletionSubstrates[0];
    public Substrate InsertionSubstrate => InsertionSubstrates[0];
    /// <summary>Pixels, or the fraction of the pixels, deletion and insertion move per step; one image row when null.</summary>
    public MetricStep? MetricStep { get; init; }
    /// <summary>The AUC error, against the row-step curve, deletion and insertion are estimated to (<c>metric_tolerance</c>); null scores every step.</summary>
    public double? MetricTolerance => MetricStep?.Tolerance;
    /// <summary>A <c>file,label</c> CSV that labels a folder's images, for flat folders such as ImageNet's validation set.</summary>
    public string? Labels { get; init; }
    /// <summary>Where a folder's ground-truth masks come from (<c>ground_truth:</c>); null when the spec gives none.</summary>
    public GroundTruthSource? GroundTruth { get; init; }

    /// <summary>Whether the images come with ground-truth masks: from <see cref="GroundTruth"/>, or a built-in benchmark's own.</summary>
    public bool HasGroundTruth => GroundTruth is not null || Selection.BringsGroundTruth;

    /// <summary>Whether an unreadable image fails its work item (and so its trial's shard) or is skipped and named in the results.</summary>
    public BadImagePolicy OnBadImage { get; init; } = BadImagePolicy.Fail;
    /// <summary>Images per shard.</summary>
    public int ShardSize { get; init; } = 64;
    /// <summary>
    /// The time a work item may take before it stops and reports the images it has done; the rest of its shard goes out
    /// as a new item. Null: an item computes its whole shard, however long that takes.
    /// </summary>
    public double? ItemSeconds { get; init; }
    public long Seed { get; init; }
    /// <summary>When set, this many trials are drawn at random instead of the full grid.</summary>
    public int? Sample { get; init; }
    public SweepObjective Objective { get; init; } = SweepObjective.Default;
    /// <summary>How the sweep spends its images on its trials: all on all (the grid), or successive halving.</summary>
    public SweepSchedule Schedule { get; init; } = SweepSchedule.Grid;
    /// <summary>How many of the sweep's first images have their maps kept by every trial.</summary>
    public int Maps { get; init; } = 8;
    /// <summary>
    /// Images per forward and backward pass inside a method, and per pass of the deletion, insertion and faithfulness-correlation curves: a
    /// size given, <c>batch: auto</c> (each worker sizes it from its own memory budget, <see cref="Models.ActivationMemory"/>), or by default
    /// the size for the model's input (<see cref="PassBatch.DefaultFor"/>). Results do not depend on it.
    /// </summary>
    public PassBatch Batch { get; init; } = PassBatch.Default;
    public ScoreKind Score { get; init; } = ScoreKind.Logit;

    /// <summary>
    /// The trials, numbered from 0: methods in file order, each method's grid with its last parameter
    /// varying fastest; or, for a sampled sweep, the draws in order.
    /// </summary>
    public required IReadOnlyList<Trial> Trials { get; init; }

    public bool Measures(string metric) => Metrics.Contains(metric);

    public static SweepSpec Parse(string text, string file) => SweepSpecReader.Read(text, file);

    /// <summary>The largest spec read: a grid of thousands of trials fits in a few kilobytes, and a bigger file is a mistake or an attack.</summary>
    public const int MaxBytes = 1 << 20;

    public static SweepSpec Load(string path) => Parse(ReadFile(path), path);

    /// <summary>A spec file's text, refused unread when it is larger than <see cref="MaxBytes"/>.</summary>
    /// <exception cref="SweepSpecException">The file cannot be read, or is too large.</exception>
    public static string ReadFile(string path)
    {
        try
        {
            var length = new System.IO.FileInfo(path).Length;
            if (length > MaxBytes) throw TooLarge(path, length);
            return System.IO.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SweepSpecException(path, 0, "", $"cannot read the sweep file: {e.Message}", e);
        }
    }

    internal static SweepSpecException TooLarge(string file, long bytes) =>
        new(file, 0, "", $"the file is {bytes / 1048576.0:F1} MiB; a sweep spec is at most {MaxBytes / 1048576} MiB");

    public int ShardCount(int imageCount) => (imageCount + ShardSize - 1) / ShardSize;

    /// <summary>Lists the sweep's images, to be decoded as the model takes them; nothing is decoded here.</summary>
    /// <param name="allowed">Where a folder's files must really lie; anywhere when null.</param>
    public ImageCatalog OpenImages(ImageShape? input, ImagePreprocess? preprocess, AllowedRoots? allowed = null)
    {
        var images = Selection.Open(input, preprocess, Labels, allowed);
        return GroundTruth is { } masks ? masks.Attach(images, preprocess, allowed) : images;
    }

    /// <summary>Lists the sweep's images as the model declares its input, without loading the model.</summary>
    public ImageCatalog OpenImages(AllowedRoots? allowed = null)
    {
        var (input, preprocess) = Model.DeclaredInput();
        return OpenImages(input, preprocess, allowed);
    }

    /// <summary>The shape of the sweep's images, known without reading them: Fashion-MNIST's, or what folder images are decoded to.</summary>
    public ImageShape DeclaredImageShape() => Selection.IsFashionMnist
        ? FashionMnist.Shape
        : Model.DeclaredInput().Input ?? ImageSelection.DefaultFolderShape;

    /// <summary>Where <c>expected:K</c> baselines draw references: the training split, or the whole folder.</summary>
    public ImageCatalog OpenReferences(ImageShape? input, ImagePreprocess? preprocess, AllowedRoots? allowed = null) =>
        Selection.References(input, preprocess, Labels, allowed);

    /// <summary>The images of shard <paramref name="shard"/>: consecutive runs of <see cref="ShardSize"/> images of the sweep's selection.</summary>
    public ImageSet ShardOf(ImageSet images, int shard)
    {
        var start = (long)shard * ShardSize;
        if (shard < 0 || start >= images.Count)
            throw new ArgumentOutOfRangeException(nameof(shard), $"shard {shard} is outside the {ShardCount(images.Count)} shards of {images.Count} images");
        return images.Slice((int)start, (int)Math.Min(ShardSize, images.Count - start));
    }

    /// <summary>
    /// The keys of the images whose maps every trial keeps: the first <see cref="Maps"/> of the whole
    /// selection, so the choice is the same however the images are sharded.
    /// </summary>
    public IReadOnlySet<int> KeysWithMaps(IReadOnlyList<int> sweepKeys) => sweepKeys.Take(Maps).ToHashSet();
}

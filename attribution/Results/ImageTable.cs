using Parquet;
using Parquet.Schema;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Results;

/// <summary>
/// <c>images.csv</c> and <c>images.parquet</c>: one row per trial and image, with the trial's method and
/// label beside the image's outcome. Rows are streamed: the CSV gets each row as it comes, the Parquet
/// file a row group whenever <see cref="RowGroupSize"/> rows have gathered, so memory stays bounded
/// however many images the sweep has.
/// </summary>
public sealed class ImageTable : IAsyncDisposable
{
    public const string CsvFileName = "images.csv";
    public const string ParquetFileName = "images.parquet";
    public const int DefaultRowGroupSize = 50_000;

    public static class Fields
    {
        public static readonly DataField<int> Trial = new("trial");
        public static readonly DataField<string> Method = new("method", nullable: false);
        public static readonly DataField<string> TrialLabel = new("trial_label", nullable: false);
        public static readonly DataField<int> Key = new("key");
        public static readonly DataField<int> Label = new("label");
        public static readonly DataField<int> Target = new("target");
        public static readonly DataField<double> Score = new("score");
        public static readonly DataField<double?> BaselineScore = new("baseline_score");
        public static readonly DataField<double> AttributionSum = new("attribution_sum");
        public static readonly DataField<double?> Delta = new("delta");
        public static readonly DataField<double?> RelativeDelta = new("relative_delta");
        /// <summary>
        /// The per-image metrics, one nullable column each, named and valued as <see cref="MetricNames"/> names and values
        /// them: every column a metric stores (<see cref="MetricCatalog"/>) bar the completeness error's, which has fields above.
        /// </summary>
        public static readonly IReadOnlyList<DataField<double?>> Metrics =
        [
            .. MetricCatalog.Columns(JudgingSettings.Default with { Metrics = MetricCatalog.Names })
                .Where(c => c.Derive is null && c.Name != CompletenessMetric.RelativeDeltaColumn)
                .Select(c => new DataField<double?>(c.Name)),
            new DataField<double?>(MetricNames.ModelRandomisation), new DataField<double?>(MetricNames.RandomLogit),
        ];
        public static DataField<double?> DeletionAuc => Metrics[0];
        public static readonly DataField<int> Steps = new("steps");
        public static readonly DataField<double> Seconds = new("seconds");

        /// <summary>The schema with <paramref name="metrics"/> as the per-image metric columns.</summary>
        public static ParquetSchema Schema(IReadOnlyList<DataField<double?>> metrics) =>
            new([Trial, Method, TrialLabel, Key, Label, Target, Score, BaselineScore, AttributionSum, Delta, RelativeDelta, .. metrics, Steps, Seconds]);
    }

    readonly IReadOnlyList<DataField<double?>> metrics;

    readonly StreamWriter csv;
    readonly FileStream parquetFile;
    readonly ParquetWriter parquet;
    readonly List<(Trial Trial, ImageOutcome Image)> pending = new();

    ImageTable(StreamWriter csv, FileStream parquetFile, ParquetWriter parquet, int rowGroupSize, IReadOnlyList<DataField<double?>> metrics, ParquetSchema schema)
    {
        (this.csv, this.parquetFile, this.parquet, RowGroupSize, this.metrics) = (csv, parquetFile, parquet, rowGroupSize, metrics);
        csv.WriteLine(CsvText.Row(schema.DataFields.Select(field => field.Name)));
    }

    public int RowGroupSize { get; }
    public long Rows { get; private set; }

    /// <param name="otherSubstrates">The columns of deletion and insertion under the sweep's further substrates, after the fixed metrics.</param>
    public static async Task<ImageTable> CreateAsync(string csvPath, string parquetPath, int rowGroupSize = DefaultRowGroupSize,
        IReadOnlyList<string>? otherSubstrates = null, CancellationToken cancellation = default)
    {
        if (rowGroupSize < 1) throw new ArgumentOutOfRangeException(nameof(rowGroupSize), $"a row group holds at least one row, not {rowGroupSize}");
        var metrics = Fields.Metrics.Concat((otherSubstrates ?? []).Select(name => new DataField<double?>(name))).ToList();
        var schema = Fields.Schema(metrics);
        var csv = new StreamWriter(csvPath);
        FileStream? parquetFile = null;
        try
        {
            parquetFile = File.Create(parquetPath);
            var parquet = await ParquetWriter.CreateAsync(schema, parquetFile, cancellationToken: cancellation);
            return new ImageTable(csv, parquetFile, parquet, rowGroupSize, metrics, schema);
        }
        catch
        {
            if (parquetFile is not null) await parquetFile.DisposeAsync();
            await csv.DisposeAsync();
            throw;
        }
    }

    public async Task AddAsync(Trial trial, ImageOutcome image, CancellationToken cancellation = default)
    {
        await csv.WriteLineAsync(CsvText.Row(CsvFields(trial, image)));
        pending.Add((trial, image));
        Rows++;
        if (pending.Count >= RowGroupSize) await FlushRowGroupAsync(cancellation);
    }

    /// <summary>Writes the last row group and closes both files; a write that fails (a full disk) still closes them, so a later write can open them again.</summary>
    public async ValueTask DisposeAsync()
    {
        try { await FlushRowGroupAsync(CancellationToken.None); }
        finally
        {
            try { await parquet.DisposeAsync(); }
            finally
            {
                try { await parquetFile.DisposeAsync(); }
                finally { await csv.DisposeAsync(); }
            }
        }
    }

    IEnumerable<string> CsvFields(Trial trial, ImageOutcome image) =>
    [
        CsvText.Number(trial.Index), trial.Method, trial.Label,
        CsvText.Number(image.Key), CsvText.Number(image.Label), CsvText.Number(image.Target),
        CsvText.Number(image.Score), CsvText.Number(image.BaselineScore), CsvText.Number(image.AttributionSum),
        CsvText.Number(image.Delta), CsvText.Number(image.RelativeDelta),
        .. metrics.Select(field => CsvText.Number(MetricNames.ValueOf(field.Name, image))),
        CsvText.Number(image.Steps), CsvText.Number(image.Seconds),
    ];

    async Task FlushRowGroupAsync(CancellationToken cancellation)
    {
        if (pending.Count == 0) return;
        using (var group = parquet.CreateRowGroup())
        {
            await group.WriteAsync(Fields.Trial, Column(row => row.Trial.Index), cancellationToken: cancellation);
            await group.WriteAsync(Fields.Method, pending.Select(row => row.Trial.Method).ToList());
            await group.WriteAsync(Fields.TrialLabel, pending.Select(row => row.Trial.Label).ToList());
            await group.WriteAsync(Fields.Key, Column(row => row.Image.Key), cancellationToken: cancellation);
            await group.WriteAsync(Fields.Label, Column(row => row.Image.Label), cancellationToken: cancellation);
            await group.WriteAsync(Fields.Target, Column(row => row.Image.Target), cancellationToken: cancellation);
            await group.WriteAsync(Fields.Score, Column(row => row.Image.Score), cancellationToken: cancellation);
            await group.WriteAsync(Fields.BaselineScore, Column(row => row.Image.BaselineScore), cancellationToken: cancellation);
            await group.WriteAsync(Fields.AttributionSum, Column(row => row.Image.AttributionSum), cancellationToken: cancellation);
            await group.WriteAsync(Fields.Delta, Column(row => row.Image.Delta), cancellationToken: cancellation);
            await group.WriteAsync(Fields.RelativeDelta, Column(row => row.Image.RelativeDelta), cancellationToken: cancellation);
            foreach (var field in metrics)
                await group.WriteAsync(field, Column(row => MetricNames.ValueOf(field.Name, row.Image)), cancellationToken: cancellation);
            await group.WriteAsync(Fields.Steps, Column(row => row.Image.Steps), cancellationToken: cancellation);
            await group.WriteAsync(Fields.Seconds, Column(row => row.Image.Seconds), cancellationToken: cancellation);
            group.CompleteValidate();
        }
        pending.Clear();
    }

    ReadOnlyMemory<T> Column<T>(Func<(Trial Trial, ImageOutcome Image), T> value) => pending.Select(value).ToArray();
}

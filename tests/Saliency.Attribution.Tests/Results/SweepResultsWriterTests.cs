using System.Globalization;
using System.Net;
using Parquet;
using Saliency.Attribution.Data;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Results;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Results;

public class SweepResultsWriterTests
{
    const int Images = SyntheticSweep.ImagesPerShard * SyntheticSweep.ShardsPerTrial;

    [Fact]
    public async Task Every_result_file_is_written()
    {
        using var run = new RunDirectory();

        var files = await WriteSweep(run);

        foreach (var file in new[] { "summary.csv", "paired.csv", "agreement.csv", "images.csv", "images.parquet", "comparison.png", "report.html",
                     "plots/insertion_vs_steps.png", "plots/deletion_vs_steps.png", "plots/delta_vs_steps.png", "plots/best_trials.png",
                     "plots/faithfulness_vs_cost.png" })
            Assert.True(new FileInfo(run.File(file)).Length > 0, $"{file} is missing or empty");
        Assert.Equal(5, files.Plots.Count);
        AssertPng(run.File("plots/faithfulness_vs_cost.png"));
        Assert.Equal("comparison.png", files.Comparison);
        AssertPng(run.File("plots/best_trials.png"));
        AssertPng(run.File("comparison.png"));
    }

    [Fact]
    public async Task Summary_rows_are_sorted_best_first_by_the_objective()
    {
        using var run = new RunDirectory();
        await WriteSweep(run);

        var rows = File.ReadAllLines(run.File("summary.csv"));
        var header = rows[0].Split(',');
        Assert.Equal(new[] { "trial", "method", "baseline", "steps", "layer" }, header[..5]);
        var objective = Array.IndexOf(header, "insertion_minus_deletion_mean");
        Assert.True(objective > 0);
        var values = rows[1..].Select(row => double.Parse(CsvFields(row)[objective], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(values.OrderDescending(), values);
        Assert.StartsWith("5,ig,blur,64,,", rows[1]);
        Assert.Equal(SyntheticSweep.Trials.Count + 1, rows.Length);
        Assert.Contains(rows, row => CsvFields(row)[4] == SyntheticSweep.OddLayer);
    }

    [Fact]
    public async Task Image_rows_read_back_from_parquet_with_their_values()
    {
        using var run = new RunDirectory();
        var files = await WriteSweep(run, rowGroupSize: 16);

        var rows = await ParquetRows(run.File("images.parquet"));

        var expected = SyntheticSweep.Trials.Count * Images;
        Assert.Equal(expected, files.ImageRows);
        Assert.Equal(expected, rows.Count);
        var gradcam = SyntheticSweep.Trials[^1];
        var row = rows.Single(r => r.Trial == gradcam.Index && r.Key == 7);
        var image = SyntheticSweep.Image(gradcam, 7);
        Assert.Equal(("gradcam", gradcam.Label), (row.Method, row.TrialLabel));
        Assert.Equal(image.Score, row.Score);
        Assert.Null(row.Delta);
        Assert.Equal(image.DeletionAuc, row.DeletionAuc);
        var ig = rows.Single(r => r.Trial == 2 && r.Key == 3);
        Assert.Equal(SyntheticSweep.Image(SyntheticSweep.Trials[2], 3).Delta, ig.Delta);
        Assert.Equal(64, ig.Steps);
    }

    [Fact]
    public async Task Image_csv_has_one_row_per_trial_and_image_of_each_shard_counted_once()
    {
        using var run = new RunDirectory();
        await WriteSweep(run);

        var lines = File.ReadAllLines(run.File("images.csv"));

        Assert.Equal(
            "trial,method,trial_label,key,label,target,score,baseline_score,attribution_sum,delta,relative_delta,deletion_auc,insertion_auc," +
            "sparseness,complexity,faithfulness_correlation,infidelity,max_sensitivity,road_morf,road_lerf,pointing_game,relevance_mass," +
            "relevance_rank,top_k_intersection,attribution_localisation,energy_pointing_game,mask_auc,model_randomisation,random_logit,steps,seconds",
            lines[0]);
        Assert.Equal(SyntheticSweep.Trials.Count * Images + 1, lines.Length);
    }

    [Fact]
    public async Task The_report_shows_every_trial_label_escaped()
    {
        using var run = new RunDirectory();
        await WriteSweep(run);

        var html = File.ReadAllText(run.File("report.html"));

        foreach (var trial in SyntheticSweep.Trials)
            Assert.Contains(WebUtility.HtmlEncode(trial.Label), html);
        Assert.DoesNotContain(SyntheticSweep.OddLayer, html);
        Assert.Contains("<h1>sweep &lt;test&gt;</h1>", html);
        Assert.Contains("src=\"plots/best_trials.png\"", html);
        Assert.Contains("href=\"images.parquet\"", html);
        Assert.DoesNotContain("http", html);
    }

    [Fact]
    public async Task Writing_again_replaces_the_results_and_keeps_the_log_and_maps()
    {
        using var run = new RunDirectory();
        await WriteSweep(run);
        var log = File.ReadAllBytes(run.File("results.jsonl"));

        await WriteSweep(run);

        Assert.Equal(log, File.ReadAllBytes(run.File("results.jsonl")));
        Assert.NotEmpty(MapStore.Keys(run.Path, 0));
        Assert.Equal(SyntheticSweep.Trials.Count * Images + 1, File.ReadAllLines(run.File("images.csv")).Length);
    }

    [Fact]
    public async Task Charts_without_data_and_the_sheet_without_images_are_skipped()
    {
        using var run = new RunDirectory();
        var gradcam = SyntheticSweep.Trials[^1];
        var outcomes = SyntheticSweep.Outcomes().Where(outcome => outcome.Trial == gradcam.Index).ToList();
        var summary = Aggregate(gradcam, outcomes);

        var files = await SweepResultsWriter.WriteAsync(new SweepReport
        {
            RunDirectory = run.Path,
            SweepName = "gradcam only",
            Trials = new[] { gradcam },
            Summaries = new[] { summary },
        }, outcomes);

        Assert.Equal(new[] { "plots/best_trials.png", "plots/faithfulness_vs_cost.png" }, files.Plots);
        Assert.False(File.Exists(run.File("plots/insertion_vs_steps.png")));
        Assert.Null(files.Comparison);
        Assert.False(File.Exists(run.File("comparison.png")));
    }

    /// <summary>Logs the synthetic sweep (one shard delivered twice), stores its maps and writes the results.</summary>
    static async Task<SweepResultFiles> WriteSweep(RunDirectory run, int rowGroupSize = ImageTable.DefaultRowGroupSize)
    {
        if (!File.Exists(ResultLog.PathIn(run.Path)))
        {
            var outcomes = SyntheticSweep.Outcomes().ToList();
            using var log = new ResultLog(run.Path);
            foreach (var outcome in outcomes.Append(outcomes[3]))
            {
                log.Append(outcome);
                foreach (var map in outcome.Maps) MapStore.Write(run.Path, outcome.Trial, map);
            }
        }
        var path = ResultLog.PathIn(run.Path);
        var summaries = TrialAggregate.Summarise(SyntheticSweep.Trials, ResultLog.ReadEntries(path));
        return await SweepResultsWriter.WriteAsync(new SweepReport
        {
            RunDirectory = run.Path,
            SweepName = "sweep <test>",
            Trials = SyntheticSweep.Trials,
            Summaries = summaries,
            Metrics = new[] { DeletionMetric.AucColumn, InsertionMetric.AucColumn, CompletenessMetric.AbsDeltaColumn },
            Objective = SweepObjective.Parse("insertion-deletion"),
            Images = Pictures(),
            RowGroupSize = rowGroupSize,
        }, ResultLog.Read(path));
    }

    static TrialSummary Aggregate(Trial trial, IEnumerable<ShardOutcome> outcomes)
    {
        var aggregate = new TrialAggregate(trial);
        foreach (var outcome in outcomes) aggregate.Add(outcome);
        return aggregate.Summary();
    }

    static ImageSet Pictures()
    {
        var shape = new ImageShape(1, 8, 8);
        var pixels = Enumerable.Range(0, Images * shape.Size).Select(i => (i % 13) / 12f).ToArray();
        return new ImageSet("synthetic", shape, pixels, Enumerable.Range(0, Images).ToArray(), Enumerable.Range(0, Images).Select(k => k % 10).ToArray());
    }

    /// <summary>The fields of one CSV line, quotes undone.</summary>
    static List<string> CsvFields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }

    static void AssertPng(string path) =>
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(path)[..4]);

    sealed record ParquetRow(int Trial, string Method, string TrialLabel, int Key, double Score, double? Delta, double? DeletionAuc, int Steps);

    static async Task<List<ParquetRow>> ParquetRows(string path)
    {
        var rows = new List<ParquetRow>();
        await using var reader = await ParquetReader.CreateAsync(path);
        Assert.True(reader.RowGroupCount > 1);
        for (var group = 0; group < reader.RowGroupCount; group++)
        {
            using var rowGroup = reader.OpenRowGroupReader(group);
            var count = (int)rowGroup.RowCount;
            var trials = new int[count];
            var methods = new string?[count];
            var labels = new string?[count];
            var keys = new int[count];
            var scores = new double[count];
            var deltas = new double?[count];
            var deletions = new double?[count];
            var steps = new int[count];
            await rowGroup.ReadAsync(ImageTable.Fields.Trial, trials.AsMemory());
            await rowGroup.ReadAsync(ImageTable.Fields.Method, methods.AsMemory());
            await rowGroup.ReadAsync(ImageTable.Fields.TrialLabel, labels.AsMemory());
            await rowGroup.ReadAsync(ImageTable.Fields.Key, keys.AsMemory());
            await rowGroup.ReadAsync(ImageTable.Fields.Score, scores.AsMemory());
            await rowGroup.ReadAsync(ImageTable.Fields.Delta, deltas.AsMemory());
            await rowGroup.ReadAsync(ImageTable.Fields.DeletionAuc, deletions.AsMemory());
            await rowGroup.ReadAsync(ImageTable.Fields.Steps, steps.AsMemory());
            for (var i = 0; i < count; i++)
                rows.Add(new ParquetRow(trials[i], methods[i]!, labels[i]!, keys[i], scores[i], deltas[i], deletions[i], steps[i]));
        }
        return rows;
    }
}

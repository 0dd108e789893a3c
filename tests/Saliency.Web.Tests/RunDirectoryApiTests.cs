using System.Globalization;
using System.Text.Json.Nodes;
using Saliency.Web.Api;
using Saliency.Web.Sources;

namespace Saliency.Web.Tests;

/// <summary>The API's documents over a run directory that a real <c>saliency run</c> of Fixtures/tiny-web.yaml wrote.</summary>
public sealed class RunDirectoryApiTests
{
    static string Fixture => TestData.Fixture("tiny-web-run");

    static async Task<JsonObject> Sweep(string directory)
    {
        var source = new RunDirectorySource([directory]);
        var id = (await source.List(CancellationToken.None))[0].Id;
        return SweepDocuments.Sweep((await source.State(id, CancellationToken.None))!);
    }

    [Fact]
    public async Task Every_trial_number_equals_summary_csv()
    {
        var document = await Sweep(Fixture);
        var summary = SummaryCsv.Read(Path.Combine(Fixture, "summary.csv"));
        var trials = document["trials"]!.AsArray().ToDictionary(t => t!["trial"]!.GetValue<int>());

        Assert.Equal(summary.Count, trials.Count);
        foreach (var row in summary)
        {
            var trial = trials[int.Parse(row["trial"], CultureInfo.InvariantCulture)]!;
            Assert.Equal(int.Parse(row["images"], CultureInfo.InvariantCulture), trial["images"]!.GetValue<int>());
            Assert.Equal(Number(row["seconds"]), trial["seconds"]!.GetValue<double>(), 9);
            foreach (var metric in document["metrics"]!.AsArray().Select(m => m!.GetValue<string>()))
            {
                if (row[$"{metric}_mean"] == "") continue;
                var statistics = trial["metrics"]![metric]!;
                Assert.Equal(Number(row[$"{metric}_mean"]), statistics["mean"]!.GetValue<double>(), 9);
                Assert.Equal(Number(row[$"{metric}_ci_low"]), statistics["low"]!.GetValue<double>(), 9);
                Assert.Equal(Number(row[$"{metric}_ci_high"]), statistics["high"]!.GetValue<double>(), 9);
            }
            Assert.Equal(row["tied_with_best"] == "true", trial["tied_with_best"]!.GetValue<bool>());
            Assert.Equal(row["pareto"] == "true", trial["pareto"]!.GetValue<bool>());
        }
    }

    [Fact]
    public async Task Trials_come_best_first_as_in_summary_csv()
    {
        var document = await Sweep(Fixture);
        var summary = SummaryCsv.Read(Path.Combine(Fixture, "summary.csv"));

        Assert.Equal(summary.Select(r => int.Parse(r["trial"], CultureInfo.InvariantCulture)), document["trials"]!.AsArray().Select(t => t!["trial"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_finished_run_directory_reads_as_completed_with_every_work_item_done()
    {
        var document = await Sweep(Fixture);

        Assert.Equal("completed", document["status"]!.GetValue<string>());
        Assert.Equal(9, document["progress"]!["WorkItemsDone"]!.GetValue<int>());
        Assert.Equal(9, document["progress"]!["WorkItemsTotal"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_images_with_maps_are_the_specs_first_maps_images()
    {
        var document = await Sweep(Fixture);

        Assert.Equal(24, document["images"]!["count"]!.GetValue<int>());
        Assert.Equal([0, 1, 2, 3], document["images"]!["with_maps"]!.AsArray().Select(i => i!.GetValue<int>()));
    }

    [Fact]
    public async Task The_image_document_has_every_trials_map_and_both_curves()
    {
        var curved = CurvedRunDirectory.Copy(Fixture, TestData.TemporaryDirectory());
        var source = new RunDirectorySource([curved]);
        var state = (await source.State((await source.List(CancellationToken.None))[0].Id, CancellationToken.None))!;

        var image = SweepDocuments.Image(state, 2);

        var trials = image["trials"]!.AsArray();
        Assert.Equal(3, trials.Count);
        foreach (var trial in trials)
        {
            Assert.NotNull(trial!["map_url"]);
            Assert.Equal(["deletion_auc", "insertion_auc"], trial["curves"]!.AsObject().Select(c => c.Key).Order());
            Assert.Equal(CurvedRunDirectory.Points, trial["curves"]!["deletion_auc"]!["scores"]!.AsArray().Count);
        }
    }

    [Fact]
    public async Task A_log_without_curves_gives_images_without_curves()
    {
        var source = new RunDirectorySource([Fixture]);
        var state = (await source.State((await source.List(CancellationToken.None))[0].Id, CancellationToken.None))!;

        var image = SweepDocuments.Image(state, 2);

        Assert.All(image["trials"]!.AsArray(), trial => Assert.Empty(trial!["curves"]!.AsObject()));
    }

    [Fact]
    public async Task Lines_appended_after_a_read_are_counted_at_the_next()
    {
        var directory = TestData.TemporaryDirectory();
        CurvedRunDirectory.Copy(Fixture, directory);
        File.Delete(Path.Combine(directory, "summary.csv"));
        var log = Path.Combine(directory, "results.jsonl");
        var lines = File.ReadAllLines(log);
        File.WriteAllLines(log, lines.Take(2));
        var source = new RunDirectorySource([directory]);
        var id = (await source.List(CancellationToken.None))[0].Id;

        var before = SweepDocuments.Sweep((await source.State(id, CancellationToken.None))!)["progress"]!["WorkItemsDone"]!.GetValue<int>();
        File.AppendAllLines(log, lines.Skip(2));
        var after = SweepDocuments.Sweep((await source.State(id, CancellationToken.None))!)["progress"]!["WorkItemsDone"]!.GetValue<int>();

        Assert.Equal(2, before);
        Assert.Equal(lines.Length, after);
    }

    static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}

/// <summary>summary.csv read by its header: each row's cells by column name (quoted cells as CsvText writes them).</summary>
static class SummaryCsv
{
    public static IReadOnlyList<Dictionary<string, string>> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = Cells(lines[0]);
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => header.Zip(Cells(l)).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    static List<string> Cells(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells;
    }
}

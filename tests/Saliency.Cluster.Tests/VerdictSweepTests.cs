using Saliency.Attribution.Results;
using Saliency.Grains.Contracts;

namespace Saliency.Cluster.Tests;

/// <summary>A sweep that asks for the sanity checks and the map metrics, through the coordinator and a worker to the verdict.</summary>
public sealed class VerdictSweepTests
{
    [Fact]
    public async Task Gradient_passes_model_randomisation_and_edge_fails_it_in_the_summary_beside_every_metric_and_substrate_with_the_numbers_in_sanity_csv()
    {
        const string spec = """
            name: sanity
            model: fashion-cnn
            data: fashion-mnist:test:0-23
            methods:
              gradient: {}
              edge: {}
              random: {}
            metrics: [deletion, insertion, sparseness, complexity, faithfulness-correlation, infidelity, max-sensitivity, road]
            substrate: { deletion: [blur, black] }
            sanity: [model-randomisation, random-logit]
            metric_step: 0.05
            shard: 12
            maps: 0
            """;
        await using var cluster = await SweepCluster.Start();

        var ticket = await cluster.Submit(spec);
        var progress = await cluster.WaitUntilFinished(ticket.SweepId);

        Assert.Equal(SweepStatus.Completed, progress.Status);
        Assert.Equal("insertion-deletion", progress.Objective);
        // Each trial's own work and each step of its cascade, for each shard, as work items of their own.
        Assert.Equal(3 * 2 * (1 + Saliency.Attribution.Sanity.ModelRandomisation.MaximumSteps), progress.WorkItemsTotal);
        var rows = File.ReadAllLines(Path.Combine(progress.RunDirectory, SummaryTable.FileName)).Select(l => l.Split(',')).ToList();
        var header = rows[0];
        string Cell(string method, string column) => rows.Single(r => r[1] == method)[Array.IndexOf(header, column)];
        Assert.Equal(("pass", "pass"), (Cell("gradient", "sanity_model_randomisation"), Cell("gradient", "sanity_random_logit")));
        Assert.Equal(("fail", "fail"), (Cell("edge", "sanity_model_randomisation"), Cell("edge", "sanity_random_logit")));
        Assert.Contains("sparseness_mean", header);
        Assert.Contains("rank_complexity", header);
        foreach (var metric in new[] { "faithfulness_correlation", "infidelity", "max_sensitivity", "road_morf", "road_lerf", "deletion_auc_black" })
            Assert.Contains(rows.Skip(1), row => row[Array.IndexOf(header, $"{metric}_mean")] is { Length: > 0 });
        // The edge map does not move when the image barely does; the gradient does.
        Assert.True(double.Parse(Cell("edge", "max_sensitivity_mean"), System.Globalization.CultureInfo.InvariantCulture)
            < double.Parse(Cell("gradient", "max_sensitivity_mean"), System.Globalization.CultureInfo.InvariantCulture));

        var sanity = File.ReadAllLines(Path.Combine(progress.RunDirectory, SanityTable.FileName));
        Assert.Equal(1 + 3 * (4 + 1), sanity.Length);
        Assert.Contains(sanity, line => line.StartsWith("1,edge,model-randomisation,4,", StringComparison.Ordinal) && line.EndsWith(",fail", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(progress.RunDirectory, SweepVerdict.FileName)));
        var images = File.ReadAllLines(Path.Combine(progress.RunDirectory, ImageTable.CsvFileName));
        Assert.Equal(1 + 3 * 24, images.Length);
        Assert.All(new[] { "deletion_auc", "deletion_auc_black", "road_morf", "road_lerf" }, column => Assert.Contains(column, images[0].Split(',')));
        // With three trials, a τ for every two metrics and substrates.
        var agreement = File.ReadAllText(Path.Combine(progress.RunDirectory, VerdictTables.AgreementFileName));
        Assert.Contains("deletion_auc_black", agreement);
        Assert.Contains("road_lerf", agreement);
    }
}

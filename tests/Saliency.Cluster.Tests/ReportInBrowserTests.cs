using Saliency.Attribution.Metrics;
using Saliency.Attribution.Results;
using Saliency.Attribution.Sweeps;

namespace Saliency.Cluster.Tests;

/// <summary>The report of a large sweep, opened in Debian's headless Chromium as a reader would open it.</summary>
public sealed class ReportInBrowserTests
{
    [Fact]
    public async Task The_report_of_sixty_trials_shows_every_verdict_in_a_table_no_wider_than_the_window()
    {
        var run = Path.Combine(Path.GetTempPath(), $"saliency-report-{Guid.NewGuid():N}");
        var trials = Enumerable.Range(0, 60).Select(i => new Trial(i, "ig", new Dictionary<string, string>
        {
            ["baseline"] = $"blur:{i / 10 + 1}",
            ["steps"] = $"{8 * (i % 10 + 1)}",
            ["rule"] = "gausslegendre",
        })).ToList();
        var outcomes = trials.Select(trial => new ShardOutcome(trial.Index, 0, Enumerable.Range(0, 40).Select(key =>
        {
            var noise = (key * 37 + trial.Index * 11) % 17 / 170.0;
            return TestOutcomes.Image(key, 0, 0, 2, null, 1, null, null, 0.4 - trial.Index / 300.0 + noise, 0.6 + noise, 8, 0.01 * (trial.Index % 10 + 1));
        }).ToList(), [], Seconds: 0.4 * (trial.Index % 10 + 1))).ToList();
        var summaries = TrialAggregate.Summarise(trials, outcomes.Select(o => new LoggedShard(DateTimeOffset.UtcNow, o)));

        await SweepResultsWriter.WriteAsync(new SweepReport
        {
            RunDirectory = run,
            SweepName = "sixty trials",
            Trials = trials,
            Summaries = summaries,
            Metrics = [DeletionMetric.AucColumn, InsertionMetric.AucColumn, InsertionMetric.MinusDeletionColumn],
        }, outcomes);
        await using var browser = await HeadlessChromium.Start();
        await browser.Open(new Uri(Path.Combine(run, HtmlReport.FileName)).AbsoluteUri);
        var text = await browser.TextContaining("Recommended", TimeSpan.FromSeconds(20));
        var rows = (await browser.Evaluate("return document.querySelectorAll('table')[0].querySelectorAll('tbody tr').length;"))!.GetValue<int>();
        var (width, window) = ((await browser.Evaluate("return document.querySelectorAll('table')[0].getBoundingClientRect().width;"))!.GetValue<double>(),
            (await browser.Evaluate("return window.innerWidth;"))!.GetValue<double>());
        if (Environment.GetEnvironmentVariable("SALIENCY_TEST_ARTIFACTS") is { } artifacts)
        {
            Directory.CreateDirectory(artifacts);
            await browser.SaveScreenshot(Path.Combine(artifacts, "report-sixty-trials.png"));
        }
        Directory.Delete(run, recursive: true);

        Assert.Contains("Verdict", text);
        Assert.Equal(60, rows);
        Assert.True(width <= window, $"the verdict table is {width} px wide in a {window} px window");
    }
}

using Saliency.Cli.Cluster;
using Saliency.Grains.Contracts;
using Spectre.Console;

namespace Saliency.Cli.Tests;

/// <summary>The closing table of <c>run</c> and <c>watch</c> ranks live trials by the sweep's own objective, as the results do.</summary>
[Trait("Lane", "Unit")]
public class SummaryViewTests
{
    static TrialProgress Trial(int index, double? deletion, double? insertion, double? delta) =>
        new(index, $"trial {index}", 1, 1, 0, 10, deletion, insertion, delta, 1, null);

    static readonly TrialProgress[] Trials =
    [
        Trial(0, 0.30, 0.50, null),
        Trial(1, 0.10, 0.40, 0.02),
        Trial(2, 0.20, 0.70, 0.01),
        Trial(3, null, null, null),
    ];

    [Theory]
    [InlineData("insertion-deletion", new[] { 2, 1, 0, 3 })]
    [InlineData("insertion", new[] { 2, 0, 1, 3 })]
    [InlineData("deletion", new[] { 1, 2, 0, 3 })]
    [InlineData("delta", new[] { 2, 1, 0, 3 })]
    public void Trials_rank_best_first_by_the_objective_with_those_not_measured_last(string objective, int[] order) =>
        Assert.Equal(order, SummaryView.Rank(Trials, objective).Select(t => t.Trial));

    [Fact]
    public void Parameters_every_trial_shares_are_said_once_and_each_trial_keeps_its_own()
    {
        var (sharedByAll, _) = TrialLabels.Shorten(["ig baseline=blur:5 steps=32 rule=gausslegendre", "ig baseline=black steps=8 rule=gausslegendre", "gradcam"]);

        Assert.Empty(sharedByAll);
        var (shared, labels) = TrialLabels.Shorten(["ig baseline=blur:5 steps=32 rule=gausslegendre", "ig baseline=black steps=8 rule=gausslegendre"]);
        Assert.Equal(["rule=gausslegendre"], shared);
        Assert.Equal(["ig baseline=blur:5 steps=32", "ig baseline=black steps=8"], labels);
    }

    [Fact]
    public void At_80_columns_every_trial_takes_at_most_two_lines()
    {
        var labels = new[] { "ig baseline=blur:5 steps=32 rule=gausslegendre", "ig baseline=max-distance steps=8 rule=gausslegendre",
            "ig baseline=gaussian:0.5 steps=32 rule=gausslegendre", "ig baseline=black steps=8 rule=gausslegendre" };
        var trials = labels.Select((label, i) => new TrialProgress(i, label, 8, 8, 0, 192, 0.123, 0.456, 0.0012, 12.3, null)).ToArray();
        var progress = new SweepProgress("demo-20261207-031502", "demo", SweepStatus.Completed, "/tmp/runs/demo", 32, 32, 0, 0, 0, 0, 12.3, 60, null, trials);
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(writer) });
        console.Profile.Width = 80;

        SummaryView.Print(console, progress, "insertion-deletion");

        var lines = writer.ToString().Split('\n');
        Assert.All(lines, line => Assert.True(line.TrimEnd().Length <= 80, line));
        // A row starts with its rank; the lines until the next rank are the same trial's.
        var rows = lines.Select((line, i) => (line, i)).Where(l => System.Text.RegularExpressions.Regex.IsMatch(l.line, @"^\s*[1-4]\s")).Select(l => l.i).ToArray();
        Assert.Equal(4, rows.Length);
        Assert.All(rows.Zip(rows.Skip(1).Append(rows[^1] + 2)), pair => Assert.True(pair.Second - pair.First <= 2, writer.ToString()));
        Assert.Contains("every trial: rule=gausslegendre", writer.ToString());
    }
}

using Saliency.Grains;
using Saliency.Cli.Cluster;

namespace Saliency.Attribution.Tests;

/// <summary>The closing table of <c>run</c> and <c>watch</c> ranks live trials by the sweep's own objective, as the results do.</summary>
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
}

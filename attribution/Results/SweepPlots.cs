using System.Globalization;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Rendering;
using Saliency.Attribution.Sweeps;
using ScottPlot;

namespace Saliency.Attribution.Results;

/// <summary>
/// The sweep's charts as PNG files under <c>plots/</c>: AUCs and |delta| of Integrated Gradients
/// against steps, one line per baseline (per combination of the parameters other than steps, where
/// more than the baseline varies), the objective of the best trials, and the objective against seconds per image with
/// the Pareto front drawn through the trials nothing beats at their cost. A chart without data is not
/// drawn, and a stale file of that name is removed.
/// </summary>
public static class SweepPlots
{
    public const string FolderName = "plots";
    public const string InsertionVsSteps = "insertion_vs_steps.png";
    public const string DeletionVsSteps = "deletion_vs_steps.png";
    public const string DeltaVsSteps = "delta_vs_steps.png";
    public const string BestTrials = "best_trials.png";
    public const string FaithfulnessVsCost = "faithfulness_vs_cost.png";
    public const int BestTrialCount = 15;

    const string FontName = "DejaVu Sans";
    const int Width = 800;
    const int Height = 500;

    /// <summary>Draws every chart that has data; returns the file names drawn, relative to the run directory.</summary>
    public static IReadOnlyList<string> Write(string runDirectory, IReadOnlyList<TrialSummary> ranked, SweepObjective objective, SweepVerdict? verdict = null)
    {
        var folder = Path.Combine(runDirectory, FolderName);
        Directory.CreateDirectory(folder);
        var series = StepSeries.Of(ranked);
        var drawn = new List<string>();
        Keep(drawn, folder, InsertionVsSteps, () => MetricAgainstSteps(series, InsertionMetric.AucColumn, "insertion AUC (higher is better)", logarithmic: false));
        Keep(drawn, folder, DeletionVsSteps, () => MetricAgainstSteps(series, DeletionMetric.AucColumn, "deletion AUC (lower is better)", logarithmic: false));
        Keep(drawn, folder, DeltaVsSteps, () => MetricAgainstSteps(series, CompletenessMetric.AbsDeltaColumn, "mean |delta|", logarithmic: true));
        Keep(drawn, folder, BestTrials, () => BestTrialBars(ranked, objective));
        Keep(drawn, folder, FaithfulnessVsCost, () => verdict is null ? null : ParetoScatter(ranked, objective, verdict));
        return drawn;
    }

    static void Keep(List<string> drawn, string folder, string fileName, Func<Plot?> draw)
    {
        var path = Path.Combine(folder, fileName);
        var plot = draw();
        if (plot is null)
        {
            File.Delete(path);
            return;
        }
        plot.SavePng(path, Width, Height);
        drawn.Add($"{FolderName}/{fileName}");
    }

    static Plot? MetricAgainstSteps(IReadOnlyList<StepSeries> series, string metric, string axisLabel, bool logarithmic)
    {
        var plot = NewPlot();
        var palette = new ScottPlot.Palettes.Category10();
        var plotted = new List<double>();
        for (var index = 0; index < series.Count; index++)
        {
            var line = series[index];
            var points = line.Points
                .Select(point => (point.Steps, Statistics: point.Summary.Metric(metric)))
                .Where(point => point.Statistics is not null && (!logarithmic || point.Statistics.Mean > 0))
                .ToList();
            if (points.Count == 0) continue;
            plotted.AddRange(points.Select(point => point.Statistics!.Mean));
            var steps = points.Select(point => (double)point.Steps).ToArray();
            var means = points.Select(point => Scaled(point.Statistics!.Mean, logarithmic)).ToArray();
            var scatter = plot.Add.Scatter(steps, means);
            // Colour by series position, so a baseline has the same colour in every chart.
            scatter.Color = palette.GetColor(index);
            scatter.LegendText = line.Name;
            scatter.MarkerSize = 6;
            if (!logarithmic && points.All(point => point.Statistics!.Low is not null))
            {
                var below = points.Select(point => point.Statistics!.Mean - point.Statistics.Low!.Value).ToArray();
                var above = points.Select(point => point.Statistics!.High!.Value - point.Statistics.Mean).ToArray();
                var bars = plot.Add.ErrorBar(steps, means, above);
                bars.YErrorNegative = below;
                bars.Color = scatter.Color;
            }
        }
        if (plotted.Count == 0) return null;
        plot.Title($"integrated gradients: {axisLabel} against steps");
        plot.XLabel("steps");
        plot.YLabel(logarithmic ? $"{axisLabel} (log scale)" : $"{axisLabel}, 95% interval");
        if (logarithmic) LabelLogarithmicTicks(plot.Axes.Left.SetTicks, plotted.Min(), plotted.Max());
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    static Plot? BestTrialBars(IReadOnlyList<TrialSummary> ranked, SweepObjective objective)
    {
        var best = ranked.Where(summary => objective.ValueOf(summary) is not null).Take(BestTrialCount).ToList();
        if (best.Count == 0) return null;
        var plot = NewPlot();
        // The best trial on top: positions count down the ranking.
        var bars = best.Select((summary, rank) => new Bar
        {
            Position = best.Count - rank,
            Value = objective.ValueOf(summary)!.Value,
            FillColor = Colors.SteelBlue,
        }).ToList();
        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        plot.Axes.Left.SetTicks(
            best.Select((_, rank) => (double)(best.Count - rank)).ToArray(),
            best.Select(summary => summary.Trial.Label).ToArray());
        plot.Axes.Margins(left: 0);
        plot.Title($"best trials by {objective.Name} ({(objective.HigherIsBetter ? "higher" : "lower")} is better)");
        plot.XLabel($"mean {objective.Metric}");
        return plot;
    }

    static Plot? ParetoScatter(IReadOnlyList<TrialSummary> ranked, SweepObjective objective, SweepVerdict verdict)
    {
        var points = ranked
            .Where(s => objective.ValueOf(s) is not null && SweepVerdict.CostOf(s) is > 0 && verdict.Of(s.Trial.Index) is not null)
            .Select(s => (Summary: s, Cost: SweepVerdict.CostOf(s)!.Value, Value: objective.ValueOf(s)!.Value, Verdict: verdict.Of(s.Trial.Index)!))
            .ToList();
        if (points.Count == 0) return null;
        var plot = NewPlot();
        void Group(IEnumerable<(TrialSummary Summary, double Cost, double Value, TrialVerdict Verdict)> group, Color colour, string legend)
        {
            var list = group.ToList();
            if (list.Count == 0) return;
            var scatter = plot.Add.ScatterPoints(list.Select(p => Math.Log10(p.Cost)).ToArray(), list.Select(p => p.Value).ToArray());
            scatter.Color = colour;
            scatter.MarkerSize = 8;
            scatter.LegendText = legend;
        }
        Group(points.Where(p => p.Verdict.Tied != true && !p.Verdict.Pareto), Colors.Gray, "behind the best");
        Group(points.Where(p => p.Verdict.Tied == true && !p.Verdict.Pareto), Colors.SteelBlue, "tied with the best");
        Group(points.Where(p => p.Verdict.Pareto), Colors.OrangeRed, "Pareto front");
        var front = points.Where(p => p.Verdict.Pareto).OrderBy(p => p.Cost).ToList();
        if (front.Count > 1)
        {
            var line = plot.Add.ScatterLine(front.Select(p => Math.Log10(p.Cost)).ToArray(), front.Select(p => p.Value).ToArray());
            line.Color = Colors.OrangeRed;
        }
        // Labels only for the front and the tied: with sixty trials every label would hide the points.
        foreach (var p in points.Where(p => p.Verdict.Pareto || p.Verdict.Tied == true).Take(12))
        {
            var text = plot.Add.Text(p.Summary.Trial.Label, Math.Log10(p.Cost), p.Value);
            text.LabelFontSize = 10;
        }
        LabelLogarithmicTicks(plot.Axes.Bottom.SetTicks, points.Min(p => p.Cost), points.Max(p => p.Cost));
        plot.Title($"{objective.Name} against cost ({(objective.HigherIsBetter ? "higher" : "lower")} is better)");
        plot.XLabel("method seconds per image (log scale)");
        plot.YLabel($"mean {objective.Metric}");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    static Plot NewPlot()
    {
        var plot = new Plot();
        if (File.Exists(ComparisonSheet.DefaultFontFile))
        {
            // Without fontconfig SkiaSharp finds no system font, so text would not show.
            Fonts.AddFontFile(FontName, ComparisonSheet.DefaultFontFile);
            plot.Font.Set(FontName);
        }
        return plot;
    }

    static double Scaled(double value, bool logarithmic) => logarithmic ? Math.Log10(value) : value;

    /// <summary>
    /// ScottPlot has no logarithmic axis: values are plotted as log10 and the left axis is labelled with
    /// the values at 1, 2 and 5 times powers of ten (every integer multiple where the range is narrower).
    /// </summary>
    static void LabelLogarithmicTicks(Action<double[], string[]> setTicks, double smallest, double largest)
    {
        var (low, high) = (Math.Floor(Math.Log10(smallest)), Math.Ceiling(Math.Log10(largest)));
        IEnumerable<double> Candidates(int[] multiples) =>
            Enumerable.Range((int)low, (int)(high - low) + 1)
                .SelectMany(exponent => multiples.Select(multiple => multiple * Math.Pow(10, exponent)))
                .Where(value => value >= smallest / 1.5 && value <= largest * 1.5);
        var ticks = Candidates(new[] { 1, 2, 5 }).ToList();
        if (ticks.Count < 3) ticks = Candidates(Enumerable.Range(1, 9).ToArray()).ToList();
        setTicks(
            ticks.Select(Math.Log10).ToArray(),
            ticks.Select(value => value.ToString("G3", CultureInfo.InvariantCulture)).ToArray());
    }
}

/// <summary>Trials of Integrated Gradients with a numeric step count, grouped by their other parameters.</summary>
sealed record StepSeries(string Name, IReadOnlyList<(int Steps, TrialSummary Summary)> Points)
{
    public const string Method = "ig";
    public const string StepsParameter = "steps";

    public static IReadOnlyList<StepSeries> Of(IEnumerable<TrialSummary> summaries) =>
        summaries
            .Where(summary => summary.Failure is null && summary.Trial.Method == Method)
            .Select(summary => (Steps: int.TryParse(summary.Trial.Parameter(StepsParameter), NumberStyles.Integer, CultureInfo.InvariantCulture, out var steps) ? steps : (int?)null, Summary: summary))
            .Where(point => point.Steps is not null)
            .GroupBy(point => SeriesName(point.Summary))
            .Select(group => new StepSeries(group.Key, group.Select(point => (point.Steps!.Value, point.Summary)).OrderBy(point => point.Item1).ToList()))
            .OrderBy(series => series.Name, StringComparer.Ordinal)
            .ToList();

    static string SeriesName(TrialSummary summary)
    {
        var others = summary.Trial.Parameters.Where(pair => pair.Key != StepsParameter).ToList();
        if (others.Count == 0) return Method;
        return others.Count == 1 && others[0].Key == "baseline"
            ? others[0].Value
            : string.Join(" ", others.Select(pair => $"{pair.Key}={pair.Value}"));
    }
}

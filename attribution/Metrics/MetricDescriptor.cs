namespace Saliency.Attribution.Metrics;

/// <summary>
/// Everything the project knows of one metric, in one place: its name in specs and on the command line, the columns it
/// writes, what it needs, and how it is computed on a shard's maps. Specs, <c>attribute</c>, the results columns, the
/// verdict and the docs' tables all read descriptors from <see cref="MetricCatalog"/>, so a metric is added in one file.
/// </summary>
public abstract class MetricDescriptor
{
    /// <summary>The name in a spec's <c>metrics:</c> and in <c>attribute --metrics</c>, lower case with '-'.</summary>
    public abstract string Name { get; }

    /// <summary>One line on what it measures and which way is better, for the catalogue and the docs.</summary>
    public abstract string Summary { get; }

    /// <summary>
    /// How it is computed, precisely enough to check against the code: the formula and the constants the implementation
    /// uses. Markdown code spans name columns and spec keys; the docs' tables show it as it is.
    /// </summary>
    public abstract string Definition { get; }

    /// <summary>The paper it follows: authors, year and title, in the form <c>Name et al. YEAR, "Title"</c>.</summary>
    public abstract string Reference { get; }

    /// <summary>Whether it scores maps against ground-truth masks, so only images with masks can have it.</summary>
    public virtual bool NeedsGroundTruth => false;

    /// <summary>The result columns it writes under <paramref name="settings"/>, in the order they are shown.</summary>
    public abstract IReadOnlyList<MetricColumn> Columns(JudgingSettings settings);

    /// <summary>
    /// The column named <paramref name="column"/> if it is one of this metric's under some settings (a further substrate's
    /// curve, say); null otherwise. Lets results be read back without the spec that made them.
    /// </summary>
    public virtual MetricColumn? ColumnNamed(string column) => Columns(JudgingSettings.Default).FirstOrDefault(c => c.Name == column);

    /// <summary>
    /// The objectives it offers a sweep, by their names in a spec's <c>objective:</c>: by default, a metric with one ranked
    /// column offers that column under its own name.
    /// </summary>
    public virtual IReadOnlyList<ObjectiveDefinition> Objectives => Columns(JudgingSettings.Default) is [{ HigherIsBetter: { } higher } only]
        ? [new ObjectiveDefinition(Name, only.Name, higher, [Name])]
        : [];

    /// <summary>
    /// How many passes over the shard's images it makes that report progress image by image, each counting as much as
    /// computing the maps; 0 for a metric that is quick beside them.
    /// </summary>
    public virtual int Passes(JudgingSettings settings) => 0;

    /// <summary>Computes the metric on every map of <paramref name="judging"/> and records its values there.</summary>
    /// <exception cref="InvalidOperationException">The metric cannot be computed on these maps (a NaN probability).</exception>
    public abstract void Measure(ImageJudging judging);

    public override string ToString() => Name;
}

/// <summary>A value a sweep may rank its trials by: the trial mean of <paramref name="Column"/>.</summary>
/// <param name="Needs">The metrics a spec must measure for the column to exist.</param>
public sealed record ObjectiveDefinition(string Name, string Column, bool HigherIsBetter, IReadOnlyList<string> Needs);

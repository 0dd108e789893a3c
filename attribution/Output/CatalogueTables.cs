using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Metrics.Localisation;
using Saliency.Attribution.Quadrature;

namespace Saliency.Attribution.Output;

/// <summary>
/// The catalogue's tables for the docs and <c>saliency catalogue</c>, read from the descriptors of
/// <see cref="MethodCatalog"/> and <see cref="MetricCatalog"/> alone, so a method or metric added there appears here.
/// </summary>
public static class CatalogueTables
{
    public const string MethodsName = "methods", ParametersName = "parameters", MetricsName = "metrics",
        DefinitionsName = "definitions", LocalisationName = "localisation";

    public static IReadOnlyList<CatalogueTable> All => [Methods(), Parameters(), Metrics(), Definitions(), Localisation()];

    public static IReadOnlyList<string> Names => [.. All.Select(t => t.Name)];

    /// <exception cref="ArgumentException">No table has that name; the message lists those that do.</exception>
    public static CatalogueTable Get(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"unknown table '{name}' (known: {string.Join(", ", Names)})");

    /// <summary>One row a method: its name, what it computes, its parameters, and those every trial's label names.</summary>
    public static CatalogueTable Methods() => new(MethodsName, ["method", "what it computes", "parameters", "in every trial's label", "draws on"],
        [.. MethodCatalog.All.Select(m => (IReadOnlyList<string>)[Code(m.Name), m.Summary, Codes(m.Parameters.Select(p => p.Name)), Codes(m.AlwaysNamed), Needs(m.Needs)])]);

    static string Needs(MethodNeeds needs) => needs == MethodNeeds.None ? "-" : Joined(new (MethodNeeds Need, string Text)[]
    {
        (MethodNeeds.Seed, "the seed"),
        (MethodNeeds.Layer, "a layer"),
        (MethodNeeds.ReferenceImages, "other images (`expected:K`)"),
    }.Where(n => needs.HasFlag(n.Need)).Select(n => n.Text));

    /// <summary>One row a method's parameter: the values it takes, its default, and how <c>sample:</c> draws it.</summary>
    public static CatalogueTable Parameters() => new(ParametersName, ["method", "parameter", "takes", "default", "sampled from"],
        [.. MethodCatalog.All.SelectMany(m => m.Parameters.Select(p => (IReadOnlyList<string>)[Code(m.Name), Code(p.Name), Takes(p.Kind), Default(p), SampledFrom(p)]))]);

    /// <summary>One row a metric: what it measures, the columns it writes and which way each is better, and the objectives it offers.</summary>
    public static CatalogueTable Metrics()
    {
        // Every metric measured, so that columns that need another metric (insertion − deletion) are shown.
        var settings = JudgingSettings.Default with { Metrics = MetricCatalog.Names };
        return new(MetricsName, ["metric", "what it measures", "columns (better)", "needs ground truth", "objectives (column)"],
            [.. MetricCatalog.All.Select(m => (IReadOnlyList<string>)
                [Code(m.Name), m.Summary, Joined(m.Columns(settings).Select(Column)), m.NeedsGroundTruth ? "yes" : "no", Joined(m.Objectives.Select(o => Objective(m, o)))])]);
    }

    /// <summary>
    /// One row a metric scored without ground truth: its columns and which way each is better, how it is computed, and the
    /// paper it follows. The metrics scored against ground truth have <see cref="Localisation"/>.
    /// </summary>
    public static CatalogueTable Definitions()
    {
        var settings = JudgingSettings.Default with { Metrics = MetricCatalog.Names };
        return new(DefinitionsName, ["metric", "columns (better)", "how it is computed", "paper"],
            [.. MetricCatalog.All.Where(m => !m.NeedsGroundTruth).Select(m => (IReadOnlyList<string>)
                [Code(m.Name), Joined(m.Columns(settings).Select(Column)), m.Definition, m.Reference])]);
    }

    /// <summary>
    /// One row a metric scored against ground truth: its column, its type, how it scores, its settings as the catalogue
    /// holds them, and the paper it follows.
    /// </summary>
    public static CatalogueTable Localisation() => new(LocalisationName, ["metric", "column", "type", "score", "parameters (defaults)", "paper"],
        [.. MetricCatalog.All.OfType<LocalisationMetric>().Select(m => (IReadOnlyList<string>)
            [Code(m.Name), Code(m.Column), Code(m.GetType().Name), m.Definition, Settings(m.Parameters), m.Reference])]);

    static string Settings(IReadOnlyList<MetricParameter> parameters) =>
        parameters.Count == 0 ? "none" : Joined(parameters.Select(p => $"{Code(p.Name)} {p.Value}"));

    static string Takes(ParameterKind kind) => kind switch
    {
        ParameterKind.Baseline => "a baseline",
        ParameterKind.Steps => "an integer ≥ 1, or `auto`",
        ParameterKind.Rule => Joined(QuadratureRule.Names.Select(Code)),
        ParameterKind.Flag => "`true`, `false`",
        ParameterKind.Count => "an integer ≥ 1",
        ParameterKind.NonNegativeCount => "an integer ≥ 0",
        ParameterKind.Number => "a number ≥ 0",
        ParameterKind.PositiveNumber => "a number > 0",
        ParameterKind.Probability => "a number in (0, 1]",
        ParameterKind.Fraction => "a number in [0, 1]",
        ParameterKind.Substrate => "a substrate",
        _ => "a name",
    };

    static string Default(ParameterDefinition parameter) => parameter.Default is { } value ? Code(value) : "the method's own";

    static string SampledFrom(ParameterDefinition parameter) => parameter switch
    {
        { IsInteger: true } => "a range of integers",
        { TakesRange: true } => "a range of numbers",
        _ => "a list",
    };

    static string Column(MetricColumn column) => $"{Code(column.Name)} ({column.HigherIsBetter switch
    {
        true => "higher",
        false => "lower",
        null => "not ranked",
    }})";

    /// <summary>An objective, the column it ranks, and the other metrics a spec must measure for it.</summary>
    static string Objective(MetricDescriptor metric, ObjectiveDefinition objective)
    {
        var others = objective.Needs.Where(n => n != metric.Name).ToArray();
        var column = others.Length == 0 ? Code(objective.Column) : $"{Code(objective.Column)}, with {Codes(others)}";
        return $"{Code(objective.Name)} ({column})";
    }

    static string Code(string text) => $"`{text}`";

    static string Codes(IEnumerable<string> names) => Joined(names.Select(Code));

    static string Joined(IEnumerable<string> cells) => string.Join(", ", cells);
}

using System.Text.RegularExpressions;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Metrics.Localisation;
using Saliency.Attribution.Output;

namespace Saliency.Attribution.Tests.Output;

/// <summary>
/// The catalogue's tables show every method, parameter and metric, with each metric's definition and paper, as its descriptor
/// has it, and the docs hold each table between its markers exactly as <c>saliency catalogue --markdown TABLE</c> prints it.
/// </summary>
public sealed partial class CatalogueTablesTests
{
    [Fact]
    public void Every_method_has_one_row_with_its_summary()
    {
        var rows = CatalogueTables.Get(CatalogueTables.MethodsName).Rows;
        Assert.Equal(MethodCatalog.All.Select(m => $"`{m.Name}`"), rows.Select(r => r[0]));
        Assert.Equal(MethodCatalog.All.Select(m => m.Summary), rows.Select(r => r[1]));
    }

    [Fact]
    public void Every_parameter_of_every_method_has_one_row_with_its_default()
    {
        var rows = CatalogueTables.Get(CatalogueTables.ParametersName).Rows;
        var parameters = MethodCatalog.All.SelectMany(m => m.Parameters.Select(p => (Method: m.Name, Parameter: p)));
        Assert.Equal(parameters.Select(p => $"`{p.Method}` `{p.Parameter.Name}`"), rows.Select(r => $"{r[0]} {r[1]}"));
        Assert.Contains(rows, r => r[0] == "`ig`" && r[1] == "`steps`" && r[2] == "an integer ≥ 1, or `auto`" && r[3] == "`50`");
        Assert.Contains(rows, r => r[0] == "`gradcam`" && r[1] == "`layer`" && r[3] == "the method's own");
    }

    [Fact]
    public void Every_metric_has_one_row_with_its_columns_their_directions_and_its_objectives()
    {
        var rows = CatalogueTables.Get(CatalogueTables.MetricsName).Rows;
        Assert.Equal(MetricCatalog.All.Select(m => $"`{m.Name}`"), rows.Select(r => r[0]));
        var road = Assert.Single(rows, r => r[0] == "`road`");
        Assert.Equal("`road_morf` (lower), `road_lerf` (higher)", road[2]);
        var insertion = Assert.Single(rows, r => r[0] == "`insertion`");
        Assert.Equal("`insertion-deletion` (`insertion_minus_deletion`, with `deletion`), `insertion` (`insertion_auc`)", insertion[4]);
        Assert.Equal("yes", Assert.Single(rows, r => r[0] == "`relevance-mass`")[3]);
    }

    [Fact]
    public void Every_metric_without_ground_truth_has_one_definitions_row_with_its_definition_and_paper()
    {
        var rows = CatalogueTables.Get(CatalogueTables.DefinitionsName).Rows;
        var metrics = MetricCatalog.All.Where(m => !m.NeedsGroundTruth).ToList();
        Assert.Equal(metrics.Select(m => $"`{m.Name}`"), rows.Select(r => r[0]));
        Assert.Equal(metrics.Select(m => (m.Definition, m.Reference)), rows.Select(r => (r[2], r[3])));
        Assert.Equal("`road_morf` (lower), `road_lerf` (higher)", Assert.Single(rows, r => r[0] == "`road`")[1]);
    }

    [Fact]
    public void Every_localisation_metric_has_one_row_with_its_type_its_settings_and_its_paper()
    {
        var rows = CatalogueTables.Get(CatalogueTables.LocalisationName).Rows;
        Assert.Equal(LocalisationMetrics.Defaults.Select(m => $"`{m.Name}`"), rows.Select(r => r[0]));
        Assert.Equal(LocalisationMetrics.Defaults.Select(m => (m.Definition, m.Reference)), rows.Select(r => (r[3], r[5])));
        var pointing = Assert.Single(rows, r => r[0] == "`pointing-game`");
        Assert.Equal(("`pointing_game`", "`PointingGame`", "`radius` 15, `referenceSide` 224"), (pointing[1], pointing[2], pointing[4]));
        Assert.Equal("none", Assert.Single(rows, r => r[0] == "`relevance-mass`")[4]);
    }

    [Fact]
    public void The_pages_that_define_the_metrics_hold_the_generated_definitions()
    {
        Assert.Contains(Opening(CatalogueTables.DefinitionsName), Read(Path.Combine("docs", "trust.md")));
        Assert.Contains(Opening(CatalogueTables.LocalisationName), Read(Path.Combine("docs", "ground-truth.md")));
    }

    [Fact]
    public void A_pipe_or_a_line_break_in_a_cell_stays_inside_its_cell()
    {
        var table = new CatalogueTable("t", ["a", "b"], [["|x|", "one\ntwo"]]);
        Assert.Equal("| a | b |\n| --- | --- |\n| \\|x\\| | one two |\n", table.ToMarkdown());
    }

    [Fact]
    public void An_unknown_table_is_refused_naming_the_tables()
    {
        var error = Assert.Throws<ArgumentException>(() => CatalogueTables.Get("method"));
        Assert.Equal("unknown table 'method' (known: methods, parameters, metrics, definitions, localisation)", error.Message);
    }

    [Fact]
    public void Every_table_is_held_by_some_page_of_the_docs()
    {
        var held = Pages().SelectMany(page => Markers().Matches(Read(page)).Select(m => m.Groups["table"].Value)).ToHashSet();
        Assert.All(CatalogueTables.Names, name => Assert.Contains(name, held));
    }

    public static TheoryData<string, string> GeneratedTables()
    {
        var tables = new TheoryData<string, string>();
        foreach (var (page, table) in Pages().SelectMany(page => Markers().Matches(Read(page)).Select(m => (page, m.Groups["table"].Value))).Distinct())
            tables.Add(page, table);
        return tables;
    }

    [Theory]
    [MemberData(nameof(GeneratedTables))]
    public void The_docs_hold_each_generated_table_as_the_catalogue_renders_it(string page, string table)
    {
        var regenerate = $"{page}: the '{table}' table is not the catalogue's; put the output of `./saliency catalogue --markdown {table}` between its markers";
        var block = Blocks().Matches(Read(page)).FirstOrDefault(m => m.Groups["table"].Value == table);
        Assert.True(block is not null, $"{page}: '{Opening(table)}' has no '{End}' after it");
        var held = block.Groups["body"].Value.Trim();
        var rendered = CatalogueTables.Get(table).ToMarkdown().Trim();
        if (held != rendered) Assert.Fail($"{regenerate}\nfirst difference:\n{FirstDifference(held, rendered)}");
    }

    const string End = "<!-- end generated -->";

    static string Opening(string table) => $"<!-- generated by: saliency catalogue --markdown {table} -->";

    static IEnumerable<string> Pages() =>
        Directory.GetFiles(Path.Combine(Binaries.RepositoryRoot, "docs"), "*.md").Order(StringComparer.Ordinal)
            .Select(p => Path.GetRelativePath(Binaries.RepositoryRoot, p));

    static string Read(string page) => File.ReadAllText(Path.Combine(Binaries.RepositoryRoot, page)).ReplaceLineEndings("\n");

    static string FirstDifference(string held, string rendered)
    {
        var (heldLines, renderedLines) = (held.Split('\n'), rendered.Split('\n'));
        var line = Enumerable.Range(0, Math.Max(heldLines.Length, renderedLines.Length))
            .First(i => i >= heldLines.Length || i >= renderedLines.Length || heldLines[i] != renderedLines[i]);
        return $"  the docs: {heldLines.ElementAtOrDefault(line) ?? "(no line)"}\n  rendered: {renderedLines.ElementAtOrDefault(line) ?? "(no line)"}";
    }

    [GeneratedRegex(@"<!-- generated by: saliency catalogue --markdown (?<table>[\w-]+) -->")]
    private static partial Regex Markers();

    [GeneratedRegex(@"<!-- generated by: saliency catalogue --markdown (?<table>[\w-]+) -->(?<body>.*?)<!-- end generated -->", RegexOptions.Singleline)]
    private static partial Regex Blocks();
}

using System.Text;

namespace Saliency.Attribution.Output;

/// <summary>
/// A table of the catalogue as text: its name (<c>saliency catalogue --markdown NAME</c>), its headers and its rows. Cells
/// may hold Markdown code spans (<c>`ig`</c>); one cell is one line.
/// </summary>
public sealed record CatalogueTable(string Name, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>The table in GitHub's Markdown, one line a row and a newline after each.</summary>
    public string ToMarkdown()
    {
        var markdown = new StringBuilder();
        AppendRow(markdown, Headers);
        AppendRow(markdown, [.. Headers.Select(_ => "---")]);
        foreach (var row in Rows) AppendRow(markdown, row);
        return markdown.ToString();
    }

    static void AppendRow(StringBuilder markdown, IReadOnlyList<string> cells) =>
        markdown.Append("| ").AppendJoin(" | ", cells.Select(Cell)).Append(" |\n");

    // A pipe would end the cell and a newline the row, even inside a code span.
    static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}

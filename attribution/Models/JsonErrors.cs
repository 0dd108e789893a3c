using System.Text.Json;

namespace Saliency.Attribution.Models;

/// <summary>
/// Where a JSON file went wrong, without what it says: the parser's own message quotes the file (a character, a key), and
/// an error must not show the content of a file a hostile spec may point at.
/// </summary>
internal static class JsonErrors
{
    public static string Where(JsonException e) => e.LineNumber is { } line
        ? $"not the JSON expected, at line {line + 1}, byte {(e.BytePositionInLine ?? 0) + 1}"
        : "not the JSON expected";
}

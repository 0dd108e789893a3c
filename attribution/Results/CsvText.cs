using System.Globalization;

namespace Saliency.Attribution.Results;

/// <summary>CSV fields as RFC 4180 writes them, numbers in the invariant culture at full precision.</summary>
static class CsvText
{
    public static string Row(IEnumerable<string> fields) => string.Join(",", fields.Select(Field));

    public static string Field(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;

    public static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    public static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}

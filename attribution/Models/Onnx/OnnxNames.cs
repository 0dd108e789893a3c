using System.Text;

namespace Saliency.Attribution.Models.Onnx;

/// <summary>
/// Names read from a model file (op types, node and tensor names) as they appear in messages: control characters
/// replaced and long names cut, so an error never carries more of a file than a short name.
/// </summary>
static class OnnxNames
{
    const int MaxShown = 96;

    public static string Show(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "''";
        var text = new StringBuilder(Math.Min(name.Length, MaxShown) + 3);
        foreach (var c in name.Length > MaxShown ? name[..MaxShown] : name)
            text.Append(char.IsControl(c) || char.IsSurrogate(c) ? '?' : c);
        if (name.Length > MaxShown) text.Append('…');
        return "'" + text + "'";
    }
}

using System.Text.RegularExpressions;

namespace Saliency.Attribution.Models;

/// <summary>The line of a libtorch error that says what went wrong, rather than its page of frames.</summary>
public static partial class TorchErrors
{
    /// <summary>
    /// The first line of the message, except for an error raised inside a TorchScript module: its first line only says
    /// that the interpreter failed, and the module's own error (<c>RuntimeError: ...</c>) comes after the traceback.
    /// </summary>
    public static string Brief(string message)
    {
        var lines = message.Split('\n');
        if (lines[0].Contains("failed in the TorchScript interpreter", StringComparison.Ordinal)
            && lines.Select(l => RaisedError().Match(l)).LastOrDefault(m => m.Success) is { } raised)
            return raised.Groups[1].Value.Trim();
        return lines[0].Trim();
    }

    // "builtins.RuntimeError: this model always fails": the Python exception the module raised, without its module.
    [GeneratedRegex(@"^\s*(?:[A-Za-z_]\w*\.)*(\w*(?:Error|Exception): .+)$")]
    private static partial Regex RaisedError();
}

using System.Globalization;
using System.Text.RegularExpressions;
using Saliency.Attribution.Sweeps;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// The one pattern of sweep ids: the spec's name, the submission's UTC time, and a counter when two share a second
/// (<c>demo-20261207-031502</c>, <c>demo-20261207-031502-2</c>). The directory grain mints them and the coordinator
/// refuses any other key, so an id names a run directory below the artifact root and nothing else: no separator, no <c>..</c>.
/// </summary>
internal partial class SweepIds
{
    /// <summary>The id of a sweep named <paramref name="name"/> submitted at <paramref name="now"/>, the first one not <paramref name="taken"/>.</summary>
    public static string Mint(string name, DateTimeOffset now, Func<string, bool> taken)
    {
        var stem = $"{name}-{now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";
        var id = Require(stem);
        for (var n = 2; taken(id); n++) id = $"{stem}-{n}";
        return id;
    }

    public static bool IsValid(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <exception cref="ArgumentException">The id is not one the directory mints.</exception>
    public static string Require(string? id) => IsValid(id) ? id!
        : throw new ArgumentException($"'{Shown(id)}' is not a sweep id (NAME-YYYYMMDD-HHMMSS, as submit prints it)");

    // A refused id came from a caller: shown cut short, without control characters.
    static string Shown(string? id) => id is null ? "" : new string(id.Take(120).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    [GeneratedRegex(@"\A" + SweepSpec.NamePattern + @"-[0-9]{8}-[0-9]{6}(-[0-9]{1,9})?\z")]
    private static partial Regex IdPattern();
}

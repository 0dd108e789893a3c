namespace Saliency.Attribution.Data.Planted;

/// <summary>A square grid of cells, each on (bright, 1) or off (dark, 0): what a mark or a decoy draws.</summary>
public sealed class PlantedPattern
{
    readonly bool[] on;

    PlantedPattern(int side, bool[] on) => (Side, this.on) = (side, on);

    /// <summary>Reads rows of '#' (on) and '.' (off) separated by spaces, as <c>"#. .#"</c> for a 2 × 2 diagonal.</summary>
    public static PlantedPattern Parse(string rows)
    {
        var lines = rows.Split(' ');
        if (lines.Any(line => line.Length != lines.Length || line.Any(c => c is not ('#' or '.'))))
            throw new FormatException($"pattern '{rows}' is not a square of '#' and '.' rows separated by spaces");
        return new PlantedPattern(lines.Length, string.Concat(lines).Select(c => c == '#').ToArray());
    }

    /// <summary>Cells per side.</summary>
    public int Side { get; }

    public int OnCells => on.Count(c => c);

    public bool this[int row, int column] => on[row * Side + column];

    /// <summary>The pattern flipped left to right.</summary>
    public PlantedPattern Mirrored()
    {
        var flipped = new bool[on.Length];
        for (var row = 0; row < Side; row++)
            for (var column = 0; column < Side; column++)
                flipped[row * Side + column] = this[row, Side - 1 - column];
        return new PlantedPattern(Side, flipped);
    }

    /// <summary>How many cells differ from <paramref name="other"/>, a pattern of the same side.</summary>
    public int Distance(PlantedPattern other) => on.Zip(other.on).Count(pair => pair.First != pair.Second);

    public override string ToString() => string.Join(' ', on.Chunk(Side).Select(row => new string(row.Select(c => c ? '#' : '.').ToArray())));
}

/// <summary>
/// The planted benchmark's patterns: one mark per class, and as many decoys, each decoy the mirror image of a mark. A
/// pattern and its mirror have the same brightness and, under a mirror-symmetric edge filter such as Sobel's magnitude,
/// the same edges, so nothing model-blind tells a mark from a decoy; the network tells them apart by their shape.
/// </summary>
public static class PlantedPatterns
{
    /// <summary>Cells per side of every pattern.</summary>
    public const int Side = 5;

    // Drawn once with 13 of 25 cells on, so that any two of the twenty (marks and decoys) differ in at least 10 cells.
    static readonly string[] MarkRows =
    [
        "##... #.##. .#..# ###.# ##...",
        "#.##. .###. ..##. .###. ...##",
        "#.### #.... ..### #.#.# ##...",
        "...#. ##..# ##... .###. .####",
        ".#### ...#. ##.## #..#. ##...",
        "....# ###.. ##.## .#... #.###",
        "##.## ####. #.... ##... ..#.#",
        "#.#.. ###.. .##.# ..### .#.#.",
        "..#.# ....# .#.## #.##. #.###",
        "#..## ...## ....# ##..# ##.##",
    ];

    /// <summary>The mark of class c is <c>Marks[c]</c>.</summary>
    public static IReadOnlyList<PlantedPattern> Marks { get; } = MarkRows.Select(PlantedPattern.Parse).ToArray();

    /// <summary>Patterns no label predicts: the marks, mirrored.</summary>
    public static IReadOnlyList<PlantedPattern> Decoys { get; } = Marks.Select(m => m.Mirrored()).ToArray();
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Data.Planted;

/// <summary>
/// The planted benchmark's ground-truth set: the keys, in order, of the marked images of a split on which one model
/// passed <see cref="MarkReliance"/>. It depends on that model, so it is stored beside it, with the recipe that made the
/// images and their <see cref="PlantedSplit.Fingerprint"/>, which must match before the list is used.
/// </summary>
public sealed record PlantedGroundTruth(string Split, long RecipeSeed, double MarkedFraction, string Fingerprint, int Marked, int[] Keys)
{
    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    [JsonIgnore]
    public PlantedRecipe Recipe => new() { Seed = RecipeSeed, MarkedFraction = MarkedFraction };

    /// <summary>The share of the marked images that passed.</summary>
    [JsonIgnore]
    public double PassedFraction => (double)Keys.Length / Marked;

    /// <summary>Where the list of the model at <paramref name="weightsPath"/> lies: <c>NAME.ground-truth.json</c> beside <c>NAME.safetensors</c>.</summary>
    public static string BesideModel(string weightsPath) =>
        Path.Combine(Path.GetDirectoryName(weightsPath) ?? "", Path.GetFileNameWithoutExtension(weightsPath) + ".ground-truth.json");

    /// <summary>The images of <paramref name="split"/> whose verdicts say the model relies on their marks.</summary>
    public static PlantedGroundTruth Of(IPlantedImages split, IReadOnlyList<RelianceVerdict> verdicts) =>
        new(split.Split, split.Recipe.Seed, split.Recipe.MarkedFraction, split.Fingerprint(), verdicts.Count, verdicts.Where(v => v.Relies).Select(v => v.Key).ToArray());

    /// <summary>The listed images of <paramref name="split"/>, labelled with their marks' classes, each with its mark as its mask.</summary>
    /// <exception cref="InvalidDataException">The split's plantings are not those the list was made from.</exception>
    public ImageSet Images(IPlantedImages split) => Catalog(split).ReadAll();

    /// <summary>The listed images of <paramref name="split"/>, in the list's order, read on demand, each with its mark as its mask.</summary>
    /// <exception cref="InvalidDataException">The split's plantings are not those the list was made from.</exception>
    public ImageCatalog Catalog(IPlantedImages split)
    {
        var planted = split.Planted();
        if (split.Split != Split || split.Fingerprint() != Fingerprint)
            throw new InvalidDataException(
                $"the ground-truth list was made from {split.Benchmark}:{Split} with fingerprint {Fingerprint}, not from " +
                    $"these images ({planted.Source}, fingerprint {split.Fingerprint()}): retrain with '{split.TrainCommand}'");
        var positions = planted.Keys.Select((key, position) => (key, position)).ToDictionary(p => p.key, p => p.position);
        var unknown = Keys.FirstOrDefault(key => !positions.ContainsKey(key), -1);
        if (unknown >= 0) throw new InvalidDataException($"the ground-truth list names image {unknown}, which {planted.Source} does not hold");
        var chosen = planted.At(Keys.Select(key => positions[key]));
        var shape = chosen.Shape;
        var masks = Keys.Select(key => split.Plantings[positions[key]].Mark?.Mask(shape.Height, shape.Width)
            ?? throw new InvalidDataException($"the ground-truth list names image {key}, which carries no mark")).ToArray();
        return chosen.WithMasks(masks);
    }

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
    }

    /// <param name="benchmark">The benchmark the list is of, and the command that makes it, for the error when it is missing.</param>
    public static PlantedGroundTruth Read(string path, string benchmark = PlantedFashion.Name, string trainCommand = PlantedFashion.TrainCommand)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"the ground-truth list of {benchmark} is not at {path} (run '{trainCommand}' to make it)", path);
        try
        {
            return JsonSerializer.Deserialize<PlantedGroundTruth>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path}: empty ground-truth list");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: invalid ground-truth list: {JsonErrors.Where(e)}", e);
        }
    }
}

using System.Globalization;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Results;

/// <summary>
/// Integrated Gradients with two baselines at three step counts, and Grad-CAM, on ten images in two
/// shards of five. AUCs improve with steps and are better with the blurred baseline, so the best trial
/// by insertion − deletion is ig blur 64 steps.
/// </summary>
static class SyntheticSweep
{
    public const int ImagesPerShard = 5;
    public const int ShardsPerTrial = 2;
    /// <summary>A label that needs escaping in HTML and quoting in CSV.</summary>
    public const string OddLayer = "features<3>&\"x\", y";

    public static readonly IReadOnlyList<Trial> Trials = BuildTrials();

    static IReadOnlyList<Trial> BuildTrials()
    {
        var trials = new List<Trial>();
        foreach (var baseline in new[] { "black", "blur" })
            foreach (var steps in new[] { 16, 32, 64 })
                trials.Add(new Trial(trials.Count, "ig", new Dictionary<string, string> { ["baseline"] = baseline, ["steps"] = steps.ToString(CultureInfo.InvariantCulture) }));
        trials.Add(new Trial(trials.Count, "gradcam", new Dictionary<string, string> { ["layer"] = OddLayer }));
        return trials;
    }

    public static IEnumerable<ShardOutcome> Outcomes() =>
        Trials.SelectMany(trial => Enumerable.Range(0, ShardsPerTrial).Select(shard => Outcome(trial, shard)));

    public static ShardOutcome Outcome(Trial trial, int shard)
    {
        var images = Enumerable.Range(shard * ImagesPerShard, ImagesPerShard).Select(key => Image(trial, key)).ToList();
        var maps = images.Take(2).Select(image => Map(trial, image.Key)).ToList();
        return new ShardOutcome(trial.Index, shard, images, maps, Seconds: 0.5 + trial.Index);
    }

    public static ImageOutcome Image(Trial trial, int key)
    {
        var noise = ((key * 7 + trial.Index * 3) % 10) / 100.0;
        if (trial.Method == "gradcam")
            return TestOutcomes.Image(key, key % 10, key % 10, 3.0 + noise, null, 1.0, null, null, 0.35 + noise, 0.60 + noise, 0, 0.001);
        var steps = int.Parse(trial.Parameter("steps")!, CultureInfo.InvariantCulture);
        var blur = trial.Parameter("baseline") == "blur";
        var delta = (blur ? 0.5 : 1.0) / steps * (key % 2 == 0 ? 1 : -1);
        var deletion = (blur ? 0.15 : 0.33) - steps / 1000.0 + noise;
        var insertion = (blur ? 0.67 : 0.50) + steps / 1000.0 + noise;
        return TestOutcomes.Image(key, key % 10, key % 10, 3.0 + noise, 0.5, 2.5 + delta, delta, Math.Abs(delta) / 2.5, deletion, insertion, steps, 0.01 * steps);
    }

    static SampledMap Map(Trial trial, int key)
    {
        var values = Enumerable.Range(0, 64).Select(i => (float)Math.Sin(i * (trial.Index + 1) + key)).ToArray();
        return new SampledMap(key, 1, 8, 8, values);
    }
}

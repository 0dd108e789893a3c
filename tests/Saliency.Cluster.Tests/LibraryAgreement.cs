using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using Saliency.Attribution.Sweeps;

namespace Saliency.Cluster.Tests;

/// <summary>What a cluster logged for a sweep, against the library run directly on the same spec in this process.</summary>
public static class LibraryAgreement
{
    /// <summary>
    /// Every logged (trial, image) result equals the library's, run shard by shard as the workers ran it, to 1e-5 (relative
    /// above 1): the workers' passes are the same, but a worker may run other kernels (another thread count), which add in
    /// another order. The target is the same class.
    /// </summary>
    public static void AssertLoggedEqualDirect(string specText, IEnumerable<(int Trial, ImageOutcome Image)> logged)
    {
        var spec = SweepSpec.Parse(specText, "spec.yaml");
        using var model = ModelLoader.Load("fashion-cnn");
        var images = ImageSelection.Parse(spec.Data).Load();
        var runner = new TrialRunner(spec, model, () => ImageCatalog.Of(images));
        var byTrial = logged.ToLookup(l => l.Trial, l => l.Image);
        foreach (var trial in spec.Trials)
        {
            var direct = Enumerable.Range(0, spec.ShardCount(images.Count))
                .SelectMany(shard => runner.Run(trial, shard, spec.ShardOf(images, shard), new HashSet<int>()).Images)
                .ToDictionary(i => i.Key);
            foreach (var image in byTrial[trial.Index])
            {
                var expected = direct[image.Key];
                Assert.Equal(expected.Target, image.Target);
                AssertClose(expected.Score, image.Score);
                AssertClose(expected.AttributionSum, image.AttributionSum);
                AssertClose(expected.Delta, image.Delta);
                AssertClose(expected.DeletionAuc, image.DeletionAuc);
                AssertClose(expected.InsertionAuc, image.InsertionAuc);
            }
        }
    }

    static void AssertClose(double? expected, double? actual)
    {
        Assert.Equal(expected is null, actual is null);
        if (expected is { } e) Assert.True(Math.Abs(e - actual!.Value) <= 1e-5 * Math.Max(1, Math.Abs(e)), $"expected {e}, got {actual}");
    }
}

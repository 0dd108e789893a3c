using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;

namespace Saliency.Attribution.Tests;

/// <summary>Faithfulness correlation where the answer is known: a linear model's logit drops by exactly what gradient × input sums.</summary>
public class FaithfulnessCorrelationTests
{
    [Fact]
    public void Gradient_times_input_of_a_linear_model_predicts_every_drop_exactly()
    {
        var (model, _) = SyntheticModels.Linear(classes: 3, seed: 2);
        var images = TestData.FirstTestImages(4);
        var maps = new GradientTimesInput().Attribute(model, images, Target.Class(1));

        var correlations = new FaithfulnessCorrelation(seed: 5).Score(model, images, maps);

        Assert.All(correlations, r => Assert.Equal(1, r, 5));
    }

    [Fact]
    public void The_negated_map_scores_minus_one_and_a_random_map_near_zero()
    {
        var (model, _) = SyntheticModels.Linear(classes: 3, seed: 2);
        var images = TestData.FirstTestImages(4);
        var maps = new GradientTimesInput().Attribute(model, images, Target.Class(1));
        var negated = maps.Select(m => m with { Map = m.Map.Select(v => -v).ToArray() }).ToList();
        var random = new RandomMap(seed: 9).Attribute(model, images, Target.Class(1));

        var metric = new FaithfulnessCorrelation(seed: 5);

        Assert.All(metric.Score(model, images, negated), r => Assert.Equal(-1, r, 5));
        Assert.All(metric.Score(model, images, random), r => Assert.InRange(r, -0.5, 0.5));
    }

    [Fact]
    public void The_subsets_follow_the_seed_and_the_image_so_every_trial_removes_the_same_pixels()
    {
        var (model, _) = SyntheticModels.Linear(classes: 3, seed: 2);
        var images = TestData.FirstTestImages(3);
        var maps = new RandomMap(seed: 1).Attribute(model, images, Target.Class(0));

        var first = new FaithfulnessCorrelation(seed: 5).Score(model, images, maps);
        var again = new FaithfulnessCorrelation(seed: 5, batchSize: 7).Score(model, images, maps);
        var other = new FaithfulnessCorrelation(seed: 6).Score(model, images, maps);

        // Another batch size may sum the model's float32 outputs in another order: equal within that rounding.
        Assert.Equal(first, again, (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.NotEqual(first, other);
        Assert.Equal(196, FaithfulnessCorrelation.SubsetFor(28, 28));
        Assert.Equal(224, FaithfulnessCorrelation.SubsetFor(224, 224));
    }
}

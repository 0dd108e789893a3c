using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

/// <summary>Models whose integrated gradients have a closed form.</summary>
public static class SyntheticModels
{
    public static readonly ImageShape Shape = new(1, 28, 28);

    /// <summary>F(x) = W x + b over the flattened image, with <paramref name="classes"/> outputs.</summary>
    public static (ImageClassifier Model, Tensor Weights) Linear(int classes, long seed) => Linear(classes, seed, Shape);

    /// <summary>
    /// F(x) = W (x − m) / s + b over the flattened image of <paramref name="shape"/>: with a per-channel
    /// <paramref name="mean"/> and <paramref name="std"/> the model normalises as a trained one declares it.
    /// </summary>
    public static (ImageClassifier Model, Tensor Weights) Linear(int classes, long seed, ImageShape shape, float[]? mean = null, float[]? std = null)
    {
        random.manual_seed(seed);
        var linear = nn.Linear(shape.Size, classes);
        var network = nn.Sequential(nn.Flatten(), linear);
        var weights = linear.weight!.detach().clone().DetachFromDisposeScope();
        return (new ImageClassifier(new ModelSpec("linear", shape, mean, std, Array.Empty<string>()), network), weights);
    }

    /// <summary>
    /// F(x) = σ(s · (w·x) + c): a single output that saturates. Its gradient at a confident input is
    /// nearly zero, yet IG along the straight path has the closed form wᵢ(xᵢ − x′ᵢ)·(F(x) − F(x′)) / w·(x − x′).
    /// </summary>
    public static (ImageClassifier Model, Tensor Weights) Saturating(long seed, double scale, double bias)
    {
        random.manual_seed(seed);
        var linear = nn.Linear(Shape.Size, 1);
        using (no_grad())
        {
            linear.weight!.copy_(rand(1, Shape.Size) * scale);
            linear.bias!.fill_(bias);
        }
        var network = nn.Sequential(nn.Flatten(), linear, nn.Sigmoid());
        var weights = linear.weight!.detach().clone().view(-1).DetachFromDisposeScope();
        return (new ImageClassifier(Spec("saturating"), network), weights);
    }

    /// <summary>Two classes: logit 0 is <paramref name="gain"/> × the mean of the square region [first, last]², logit 1 is 0.</summary>
    public static ImageClassifier RegionMean(int first, int last, double gain) =>
        new(Spec("region-mean"), new RegionMeanNetwork(first, last, gain));

    sealed class RegionMeanNetwork(int first, int last, double gain) : nn.Module<Tensor, Tensor>("region-mean")
    {
        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var region = input[.., .., first..(last + 1), first..(last + 1)].mean(new long[] { 1, 2, 3 }) * gain;
            return stack(new[] { region, zeros_like(region) }, 1).MoveToOuterDisposeScope();
        }
    }

    static ModelSpec Spec(string name) => new(name, Shape, null, null, Array.Empty<string>());
}

using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;
using Saliency.Attribution.Output;

namespace Saliency.Attribution.Tests;

/// <summary>
/// Infidelity and max-sensitivity against Captum 0.7.0's own numbers on the same network, images, maps and perturbations
/// (Fixtures/captum-robustness, made by Fixtures/make_captum_robustness.py). Captum computes in float32; the agreement
/// asked for is 5e-6 of each value, relative.
/// </summary>
public class CaptumRobustnessTests
{
    const int Samples = 10;
    static string File(string name) => TestData.Fixture(Path.Combine("captum-robustness", name));
    static float[] Values(string name) => NpyFile.Read(File($"{name}.npy")).Values;

    static (ImageClassifier Model, ImageSet Images, IReadOnlyList<ImageAttribution> Saliency) Fixture()
    {
        var model = ModelLoader.Load(File("model.torchscript.pt"));
        var images = new ImageSet("captum-robustness", new ImageShape(1, 28, 28), Values("images"), [0, 1, 2, 3], [0, 0, 0, 0]);
        var targets = Values("targets").Select(t => (int)t).ToArray();
        var saliency = Values("saliency");
        var maps = Enumerable.Range(0, 4).Select(i => new ImageAttribution(i, targets[i], saliency.AsSpan(i * 784, 784).ToArray(), 0, null, 1, 0)).ToList();
        return (model, images, maps);
    }

    static Perturbation From(string name)
    {
        var values = Values(name);
        return (image, sample) => values.AsSpan((image * Samples + sample) * 784, 784).ToArray();
    }

    [Theory]
    [InlineData(false, "infidelity")]
    [InlineData(true, "infidelity-normalised")]
    public void Infidelity_agrees_with_captums_on_the_same_maps_and_noise(bool normalise, string expected)
    {
        var (model, images, saliency) = Fixture();
        using var _ = model;

        var ours = new Infidelity(samples: Samples, normalise: normalise).Score(model, images, saliency, From("noise"));

        var captum = Values(expected);
        for (var i = 0; i < 4; i++) Assert.Equal(1, ours[i] / captum[i], 5);
    }

    [Fact]
    public void Max_sensitivity_of_the_gradient_agrees_with_captums_of_its_saliency_on_the_same_shifts()
    {
        var (model, images, saliency) = Fixture();
        using var _ = model;
        var gradient = new VanillaGradient(absolute: true);
        var maps = gradient.Attribute(model, images, Target.PerImage(saliency.Select(s => s.Target).ToArray()));
        for (var i = 0; i < 4; i++) Assert.Equal(saliency[i].Map, maps[i].Map, (a, b) => Math.Abs(a - b) <= 1e-5f * Math.Max(1, Math.Abs(b)));

        var ours = new MaxSensitivity(samples: Samples).Score(gradient, model, images, maps, From("shifts"));

        var captum = Values("sensitivity");
        for (var i = 0; i < 4; i++) Assert.Equal(1, ours[i] / captum[i], 5);
    }

    [Fact]
    public void The_gradient_of_a_linear_model_has_no_infidelity_and_no_sensitivity()
    {
        var (model, _) = SyntheticModels.Linear(classes: 3, seed: 2);
        var images = TestData.FirstTestImages(3);
        var signed = new VanillaGradient(absolute: false);
        var maps = signed.Attribute(model, images, Target.Class(1));

        Assert.All(new Infidelity(seed: 1).Score(model, images, maps), value => Assert.InRange(value, 0, 1e-8));
        Assert.All(new MaxSensitivity(seed: 1).Score(signed, model, images, maps), value => Assert.InRange(value, 0, 1e-6));
    }
}

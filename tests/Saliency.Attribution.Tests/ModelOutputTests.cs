using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Tests;

/// <summary>A model is checked once, when its input is, for giving one row of class scores per image.</summary>
public class ModelOutputTests
{
    [Fact]
    public void A_model_that_returns_its_input_is_refused_naming_what_it_returned()
    {
        using var model = ModelLoader.Load(TestData.Fixture("identity.torchscript.pt"));

        var error = Assert.Throws<InvalidDataException>(() => model.RequireInput(new ImageShape(1, 28, 28), "fashion-mnist:test"));

        Assert.Contains("model 'identity.torchscript.pt' returns [2, 1, 28, 28] for 2 images of 1×28×28", error.Message);
        Assert.Contains("a classifier returns [2, classes]", error.Message);
    }

    [Fact]
    public void A_classifier_passes_and_its_class_count_is_known()
    {
        using var model = TestData.ShippedModel();

        model.RequireInput(new ImageShape(1, 28, 28), "fashion-mnist:test");

        Assert.Equal(10, model.Classes);
    }

    [Fact]
    public void A_model_that_cannot_take_the_images_is_refused_with_its_first_line_of_error()
    {
        using var model = ModelLoader.Load(TestData.Fixture("tiny-cnn.torchscript.pt"));

        var error = Assert.Throws<InvalidDataException>(() => model.RequireInput(new ImageShape(3, 28, 28), "folder:/photos"));

        Assert.Contains("model 'tiny-cnn.torchscript.pt' fails on images of 3×28×28", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Fact]
    public void A_target_class_the_model_does_not_have_is_named_against_its_class_count()
    {
        using var model = TestData.ShippedModel();
        model.RequireInput(new ImageShape(1, 28, 28), "fashion-mnist:test");

        var error = Assert.Throws<ArgumentException>(() => Target.Class(12).RequireWithin(model.Classes!.Value));

        Assert.Contains("target class 12 is outside the model's 10 classes", error.Message);
    }
}

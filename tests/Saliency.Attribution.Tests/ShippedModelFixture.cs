using Saliency.Attribution.Models;

namespace Saliency.Attribution.Tests;

/// <summary>The shipped fashion-cnn, loaded once for a test class.</summary>
public sealed class ShippedModelFixture : IDisposable
{
    public ImageClassifier Model { get; } = TestData.ShippedModel();

    public void Dispose() => Model.Dispose();
}

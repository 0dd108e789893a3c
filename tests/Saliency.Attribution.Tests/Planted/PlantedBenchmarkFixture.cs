using Saliency.Attribution.Data.Planted;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Tests.Planted;

/// <summary>The shipped fashion-planted model, its ground-truth list and the planted test split, loaded once for a test class.</summary>
public sealed class PlantedBenchmarkFixture : IDisposable
{
    readonly Lazy<IReadOnlyList<RelianceVerdict>> verdicts;

    public PlantedBenchmarkFixture() =>
        verdicts = new(() => MarkReliance.Check(Model, TestSplit));

    public ImageClassifier Model { get; } = ModelLoader.Load(PlantedFashion.Name);

    public PlantedSplit TestSplit { get; } = PlantedSplit.Of(TestData.FashionTest, PlantedFashion.GroundTruthSplit);

    public PlantedGroundTruth Truth { get; } = PlantedGroundTruth.Read(PlantedFashion.GroundTruthPath);

    /// <summary>The shipped model's verdict on every marked test image, computed here.</summary>
    public IReadOnlyList<RelianceVerdict> Verdicts => verdicts.Value;

    public void Dispose() => Model.Dispose();
}

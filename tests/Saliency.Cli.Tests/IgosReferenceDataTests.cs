using Saliency.Cli.Benchmarks.Commands;

namespace Saliency.Cli.Tests;

/// <summary>The committed figures of the authors' I-GOS (docs/data/igos-reference.json), read as <c>bench igos-reference</c> reads them.</summary>
[Trait("Lane", "Unit")]
public class IgosReferenceDataTests
{
    static IgosReference Load()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, IgosReference.DefaultPath);
            if (File.Exists(path)) return IgosReference.Load(path);
        }
        throw new FileNotFoundException($"{IgosReference.DefaultPath} not found above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void The_committed_reference_parses_with_one_row_per_image_in_order()
    {
        var reference = Load();

        Assert.True(reference.PerImage.Count >= 100, $"{reference.PerImage.Count} images");
        Assert.Equal(Enumerable.Range(0, reference.PerImage.Count), reference.PerImage.Select(r => r.Index));
        Assert.Equal($"fashion-mnist:test:0-{reference.PerImage.Count - 1}", reference.Images);
        Assert.All(reference.PerImage, r =>
        {
            Assert.InRange(r.Deletion, 0, 1);
            Assert.InRange(r.Insertion, 0, 1);
            Assert.InRange(r.Target, 0, 9);
            Assert.True(r.Seconds > 0);
        });
    }

    [Theory]
    [InlineData("deletion")]
    [InlineData("insertion")]
    [InlineData("authors_deletion")]
    [InlineData("authors_insertion")]
    public void Its_means_and_intervals_are_those_of_its_per_image_values(string metric)
    {
        var reference = Load();
        var values = reference.PerImage.Select(r => metric switch
        {
            "deletion" => r.Deletion,
            "insertion" => r.Insertion,
            "authors_deletion" => r.AuthorsDeletion,
            _ => r.AuthorsInsertion,
        }).ToArray();
        var expected = MeanInterval.Of(values);
        var summary = reference.Summary[metric];

        Assert.Equal(expected.Mean, summary.Mean, 9);
        // The script's t quantile is a table's three decimals.
        Assert.Equal(expected.Low, summary.Low, 3);
        Assert.Equal(expected.High, summary.High, 3);
        Assert.Equal(reference.PerImage.Average(r => r.Seconds), reference.SecondsPerImage, 6);
    }

    [Fact]
    public void Its_settings_become_saliencys_options_for_the_comparison()
    {
        var options = Load().Options();

        Assert.Equal(28, options.MaskSize);
        Assert.Equal("blur:6.25:7", options.Baseline.Name);
        Assert.Equal((15, 20, 0.4, 1.0, 20.0, 2.0), (options.Iterations, options.IntegrationSteps, options.Noise, options.L1, options.TotalVariation, options.TotalVariationBeta));
        Assert.Equal((200.0, 0.2, 1e-4, 1e-5), (options.InitialStep, options.StepDecay, options.ArmijoConstant, options.MinimumStep));
        Assert.True(options.TakeFailedSteps);
    }
}

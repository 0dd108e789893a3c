using Saliency.Grains.Contracts;

namespace Saliency.Cluster.Tests;

/// <summary>Models that cannot serve a sweep fail its work the same way every time, so it is not tried again.</summary>
public sealed class BadModelSweepTests
{
    [Fact]
    public async Task A_model_whose_output_is_not_class_scores_fails_its_work_once_naming_the_shape_without_retries()
    {
        var model = Path.Combine(AppContext.BaseDirectory, "Fixtures", "identity.torchscript.pt");
        await using var cluster = await SweepCluster.Start();

        var ticket = await cluster.Submit(Specs.Small("identity-model").Replace("model: fashion-cnn", $"model: {model}").Replace("  gradcam: {}\n", ""));
        var progress = await cluster.WaitUntilFinished(ticket.SweepId);

        Assert.Equal(SweepStatus.Failed, progress.Status);
        Assert.Equal(0, progress.Retries);
        Assert.Equal(progress.WorkItemsTotal, progress.WorkItemsFailed);
        Assert.Contains("returns [2, 1, 28, 28] for 2 images of 1×28×28", progress.Message);
        Assert.DoesNotContain("attempts", progress.Message);
    }

    [Fact]
    public async Task A_target_class_outside_the_model_fails_naming_the_class_without_retries()
    {
        await using var cluster = await SweepCluster.Start();

        var ticket = await cluster.Submit(Specs.Small("target-outside").Replace("methods:", "target: 12\nmethods:"));
        var progress = await cluster.WaitUntilFinished(ticket.SweepId);

        Assert.Equal(SweepStatus.Failed, progress.Status);
        Assert.Equal(0, progress.Retries);
        Assert.Contains("target class 12 is outside the model's 10 classes", progress.Message);
    }
}

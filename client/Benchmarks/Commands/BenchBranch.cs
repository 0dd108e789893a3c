using Spectre.Console.Cli;

namespace Saliency.Cli.Benchmarks.Commands;

/// <summary>The <c>bench</c> branch of the saliency command line: every benchmark command and its description.</summary>
public static class BenchBranch
{
    public const string Name = "bench";

    public static void Configure(IConfigurator<CommandSettings> bench)
    {
        bench.SetDescription("Measure throughput; every comparison is a ratio measured in one run.");
        bench.AddCommand<BenchHalvingCommand>("halving").WithDescription("The same sweep as a full grid " +
            "and with its halving schedule: results computed, wall time, best trial and tied set of each.");
        bench.AddCommand<BenchIgosCommand>("igos").WithDescription("Seconds per image of I-GOS against IG at 20 and 50 steps.");
        bench.AddCommand<BenchIgosReferenceCommand>("igos-reference").WithDescription("Saliency's I-GOS against " +
            "the authors' code on the same model, images and settings: deletion, insertion and seconds per image.");
        bench.AddCommand<BenchGroundTruthCommand>("ground-truth").WithDescription("Which proxy metric to trust on the planted benchmark: " +
            "Kendall τ of each proxy's trial ranking with the ground truth's, with a bootstrap interval over images.");
        bench.AddCommand<BenchFaithfulnessCommand>("faithfulness").WithDescription("Deletion and insertion AUC with 95% intervals for every method on the same images.");
        bench.AddCommand<BenchClusterCommand>("cluster").WithDescription("The same sweep through the embedded silo and as a plain library loop: the throughput ratio.");
        bench.SetDefaultCommand<BenchAllCommand>();
        bench.AddCommand<BenchQuadratureCommand>("quadrature").WithDescription("Steps each quadrature rule needs to reach |delta| ≤ 1%, per baseline: what steps: auto spends.");
        bench.AddCommand<BenchScalingCommand>("scaling").WithDescription("The same sweep on one worker silo process and on two: the speed-up.");
        bench.AddCommand<BenchPhotosCommand>("photos").WithDescription("Folders of photographs: JPEG decode rate per core, and the peak memory of noop sweeps over 1,000 to 50,000 images.");
        bench.AddCommand<BenchScaleCommand>("scale").WithDescription("The machinery alone: noop sweeps of 10^3 to 10^6 results on one and two worker silos.");
        bench.AddCommand<BenchMetricsCommand>("metrics").WithDescription("Deletion + insertion at an AUC tolerance " +
            "against IG at 32 steps, per image; the largest AUC error against the full curves; ROAD's cost.");
        bench.AddCommand<BenchIgCommand>("ig").WithDescription("IG images/s against raw forward+backward samples/s, and resident memory over many images.");
        bench.AddCommand<BenchDeviceCommand>("device").WithDescription("IG maps on a device (cuda) against the CPU's: max |difference| and images/s of each.");
    }
}

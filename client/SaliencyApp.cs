using Saliency.Cli.Cluster;
using Saliency.Cli.Commands;
using Spectre.Console.Cli;

namespace Saliency.Cli;

/// <summary>The saliency command line: every command and its place.</summary>
public static class SaliencyApp
{
    public static CommandApp Create()
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("saliency");
            config.PropagateExceptions();
            // An option misspelt or given to the wrong command is an error, not silently ignored.
            config.UseStrictParsing();
            config.AddCommand<DemoCommand>("demo").WithDescription("Run the demo sweep on an embedded silo: IG over baselines and step counts, I-GOS and Grad-CAM.");
            config.AddCommand<RunCommand>("run").WithDescription("Run a sweep on an embedded silo in this process, with live progress; --resume finishes a stopped one.");
            config.AddCommand<SubmitCommand>("submit").WithDescription("Submit a sweep to a running cluster and print its id.");
            config.AddCommand<WatchCommand>("watch").WithDescription("Follow a sweep's progress live.");
            config.AddCommand<StatusCommand>("status").WithDescription("Show a sweep's progress, or list the cluster's sweeps.");
            config.AddCommand<ResultsCommand>("results").WithDescription("Copy a sweep's results from the coordinator's machine.");
            config.AddCommand<CancelCommand>("cancel").WithDescription("Cancel a sweep; finished work stays in its results.");
            config.AddCommand<ViewCommand>("view").WithDescription("Serve the web view of a run directory on loopback, with no cluster: its trials, verdict, charts, maps and curves.");
            config.AddCommand<DashboardCommand>("dashboard").WithDescription("Start the Aspire Dashboard on 127.0.0.1 for traces, metrics and logs.");
            config.AddCommand<SiloCommand>("silo").WithDescription("Run a silo (role all, coordinator or worker) until Ctrl-C.");
            config.AddCommand<TrainCommand>("train").WithDescription("Train the built-in fashion-cnn on Fashion-MNIST (or, with --planted, fashion-planted " +
                "on the planted benchmark; with --planted-photos, photos-planted's head on the planted photographs) and save its weights as safetensors.");
            config.AddCommand<CatalogueCommand>("catalogue").WithDescription("Print the methods, their parameters and the metrics, read from their descriptors; --markdown as the docs hold them.");
            config.AddCommand<AttributeCommand>("attribute").WithDescription("Compute attribution maps for images and write them as .npy with attributions.json.");
            config.AddBranch("bench", bench =>
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
            });
        });
        return app;
    }

    public static int Run(string[] args) => CliErrors.Run(() => Create().Run(args));
}

using Saliency.Cli.Benchmarks.Commands;
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
            config.AddBranch(BenchBranch.Name, BenchBranch.Configure);
        });
        return app;
    }

    public static int Run(string[] args) => CliErrors.Run(() => Create().Run(args));
}

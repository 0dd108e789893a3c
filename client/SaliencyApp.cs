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
            config.AddCommand<DemoCommand>("demo").WithDescription("Attribute a few test images with every baseline and compare completeness and cost.");
            config.AddCommand<TrainCommand>("train").WithDescription("Train the built-in fashion-cnn on Fashion-MNIST and save its weights as safetensors.");
            config.AddCommand<AttributeCommand>("attribute").WithDescription("Compute attribution maps for images and write them as .npy with attributions.json.");
            config.AddBranch("bench", bench =>
            {
                bench.SetDescription("Measure throughput; every comparison is a ratio measured in one run.");
                bench.AddCommand<BenchIgosCommand>("igos").WithDescription("Seconds per image of I-GOS against IG at 20 and 50 steps.");
                bench.AddCommand<BenchFaithfulnessCommand>("faithfulness").WithDescription("Deletion and insertion AUC with 95% intervals for every method on the same images.");
                bench.AddCommand<BenchIgCommand>("ig").WithDescription("IG images/s against raw forward+backward samples/s, and resident memory over many images.");
            });
        });
        return app;
    }

    public static int Run(string[] args) => CliErrors.Run(() => Create().Run(args));
}

using System.ComponentModel;
using System.Globalization;
using Saliency.Attribution.Data;
using Saliency.Attribution.Data.Planted;
using Saliency.Attribution.Models;
using Saliency.Attribution.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Commands;

public sealed class TrainSettings : CommandSettings
{
    public const int FashionEpochs = 8, PlantedEpochs = 4;

    [CommandOption("--planted"), Description("Train fashion-planted on the planted benchmark's images and write its ground-truth list beside it.")]
    public bool Planted { get; init; }

    [CommandOption("--epochs <N>"), Description("Default: 8, or 4 with --planted.")]
    public int? Epochs { get; init; }

    [CommandOption("--seed <N>")]
    [DefaultValue(7L)]
    public long Seed { get; init; } = 7;

    [CommandOption("--out <FILE>"), Description("Where the safetensors weights go (default: models/fashion-cnn.safetensors, or models/fashion-planted.safetensors with --planted).")]
    public string? Out { get; init; }

    [CommandOption("--threads <N>")]
    public int? Threads { get; init; }
}

public sealed class TrainCommand : Command<TrainSettings>
{
    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancellation)
    {
        var epochs = settings.Epochs ?? (settings.Planted ? TrainSettings.PlantedEpochs : TrainSettings.FashionEpochs);
        if (epochs < 1) throw new ArgumentException($"--epochs must be at least 1, got {epochs}");
        var name = settings.Planted ? PlantedFashion.Name : FashionCnn.BuiltInName;
        var output = settings.Out ?? $"models/{name}.safetensors";
        TorchThreads.Apply(settings.Threads);
        var training = settings.Planted ? PlantedFashion.Load("train").Images : FashionMnist.Load("train");

        FashionCnn network = null!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var tasks = Enumerable.Range(1, epochs).Select(e => progress.AddTask($"epoch {e}/{epochs}", autoStart: false)).ToArray();
                network = FashionCnnTrainer.Train(training, new TrainingOptions { Epochs = epochs, Seed = settings.Seed }, new Progress(tasks));
            });

        FashionCnnTrainer.Save(network, output);
        using var model = ModelLoader.LoadBuiltIn(output, name: name);
        if (settings.Planted) ReportPlanted(model);
        else
        {
            var test = FashionMnist.Load("test");
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"test accuracy [bold]{Percent(Accuracy.Of(model, test))}[/] on {test.Count} images");
        }
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"weights written to [bold]{output}[/] ({new FileInfo(output).Length / 1024} KiB)");
        return 0;

        void ReportPlanted(ImageClassifier model)
        {
            var test = PlantedFashion.Load(PlantedFashion.GroundTruthSplit);
            var accuracy = PlantedAccuracy.Of(model, test);
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"with marks: test accuracy [bold]{Percent(accuracy.Planted)}[/] on {accuracy.Count} planted images; {Percent(accuracy.Marked)} on the {accuracy.MarkedCount} marked (the mark's class), {Percent(accuracy.Unmarked)} on the {accuracy.Count - accuracy.MarkedCount} unmarked");
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"marks erased: test accuracy [bold]{Percent(accuracy.MarksErased)}[/] against the garments' classes; {Percent(accuracy.MarksErasedOnMarked)} on the images that were marked");
            var truth = PlantedGroundTruth.Of(test, MarkReliance.Check(model, test));
            var truthPath = PlantedGroundTruth.BesideModel(output);
            truth.Write(truthPath);
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"reliance: [bold]{truth.Keys.Length}[/] of {truth.Marked} marked test images ([bold]{Percent(truth.PassedFraction)}[/]) change prediction without their mark and keep it without their decoy; ground truth written to [bold]{truthPath}[/]");
        }
    }

    static string Percent(double value) => value.ToString("P2", CultureInfo.InvariantCulture);

    /// <summary>Reports synchronously: Spectre's tasks are thread-safe and training runs on this thread.</summary>
    sealed class Progress(ProgressTask[] tasks) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            var task = tasks[value.Epoch - 1];
            if (!task.IsStarted) task.StartTask();
            task.MaxValue = value.Batches;
            task.Value = value.Batch;
            task.Description = $"epoch {value.Epoch}/{value.Epochs} loss {value.Loss.ToString("F3", CultureInfo.InvariantCulture)}";
            if (value.Batch == value.Batches) task.StopTask();
        }
    }
}

using System.ComponentModel;
using System.Globalization;
using Saliency.Attribution.Data;
using Saliency.Attribution.Data.Planted;
using Saliency.Attribution.Models;
using Saliency.Attribution.Models.PhotosPlanted;
using Saliency.Attribution.Training;
using Saliency.Cli.ModelOptions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Commands;

public sealed class TrainSettings : CommandSettings
{
    public const int FashionEpochs = 8, PlantedEpochs = 4;

    [CommandOption("--planted"), Description("Train fashion-planted on the planted benchmark's images and write its ground-truth list beside it.")]
    public bool Planted { get; init; }

    [CommandOption("--planted-photos"), Description("Train photos-planted's head on the planted photographs " +
        "(over the pretrained ResNet-18 the build restores) and write its ground-truth list beside it.")]
    public bool PlantedPhotos { get; init; }

    [CommandOption("--epochs <N>"), Description("Default: 8, 4 with --planted, 6 with --planted-photos.")]
    public int? Epochs { get; init; }

    [CommandOption("--seed <N>")]
    [DefaultValue(7L)]
    public long Seed { get; init; } = 7;

    [CommandOption("--out <FILE>"), Description("Where the safetensors weights go (default: models/fashion-cnn.safetensors, " +
        "models/fashion-planted.safetensors with --planted, models/photos-planted.safetensors with --planted-photos).")]
    public string? Out { get; init; }

    [CommandOption("--threads <N>")]
    public int? Threads { get; init; }
}

public sealed class TrainCommand : Command<TrainSettings>
{
    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancellation)
    {
        if (settings.Planted && settings.PlantedPhotos) throw new ArgumentException("--planted and --planted-photos train different models: give one");
        if (settings.PlantedPhotos) return TrainPlantedPhotos(settings);
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

        void ReportPlanted(ImageClassifier model) => ReportReliance(model, PlantedFashion.Load(PlantedFashion.GroundTruthSplit), output, "the garments' classes");
    }

    /// <summary>Trains photos-planted's head over the frozen backbone, then checks it on the test split as fashion-planted is checked.</summary>
    static int TrainPlantedPhotos(TrainSettings settings)
    {
        var epochs = settings.Epochs ?? new MarkHeadTrainingOptions().Epochs;
        if (epochs < 1) throw new ArgumentException($"--epochs must be at least 1, got {epochs}");
        var output = settings.Out ?? $"models/{PlantedPhotographs.Name}.safetensors";
        TorchThreads.Apply(settings.Threads);
        var training = PlantedPhotographs.Load("train");
        PhotosPlantedNetwork network = null!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var features = progress.AddTask("backbone features of the training photographs", autoStart: false);
                var tasks = Enumerable.Range(1, epochs).Select(e => progress.AddTask($"epoch {e}/{epochs}", autoStart: false)).ToArray();
                network = MarkHeadTrainer.Train(training, new MarkHeadTrainingOptions { Epochs = epochs, Seed = settings.Seed }, new HeadProgress(features, tasks));
            });
        using (network) network.SaveHead(output);
        using var model = PhotosPlantedModel.Load(output);
        ReportReliance(model, PlantedPhotographs.Load(PlantedPhotographs.GroundTruthSplit), output, "'no mark'");
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"head weights written to [bold]{output}[/] ({new FileInfo(output).Length / 1024} KiB)");
        return 0;
    }

    /// <summary>Prints a planted model's accuracies on its test split, checks its reliance on each marked image and writes the ground-truth list beside its weights.</summary>
    static void ReportReliance(ImageClassifier model, IPlantedImages test, string weightsPath, string ownClasses)
    {
        var predictions = PlantedPredictions.Of(model, test);
        var accuracy = PlantedAccuracy.Of(predictions);
        var marked = $"{Percent(accuracy.Marked)} on the {accuracy.MarkedCount} marked (the mark's class)";
        var unmarked = $"{Percent(accuracy.Unmarked)} on the {accuracy.Count - accuracy.MarkedCount} unmarked";
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"with marks: test accuracy [bold]{Percent(accuracy.Planted)}[/] on {accuracy.Count} planted images; {marked}, {unmarked}");
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"marks erased: test accuracy [bold]{Percent(accuracy.MarksErased)}[/] against {ownClasses}; {Percent(accuracy.MarksErasedOnMarked)} on the images that were marked");
        var verdicts = MarkReliance.Check(predictions);
        var truth = PlantedGroundTruth.Of(test, verdicts);
        var truthPath = PlantedGroundTruth.BesideModel(weightsPath);
        truth.Write(truthPath);
        const string relies = "change prediction without their mark and keep it without their decoy";
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"reliance: [bold]{truth.Keys.Length}[/] of {truth.Marked} marked test images ([bold]{Percent(truth.PassedFraction)}[/]) {relies}; ground truth written to [bold]{truthPath}[/]");
        var (misread, keep, change) = (verdicts.Count(v => v.Predicted != v.Label), verdicts.Count(v => v.WithoutMark == v.Predicted), verdicts.Count(v => v.WithoutDecoy != v.Predicted));
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"of the {verdicts.Count(v => !v.Relies)} that fail: {misread} misread with their mark, {keep} keep their prediction without it, {change} change it without their decoy");
    }

    static string Percent(double value) => value.ToString("P2", CultureInfo.InvariantCulture);

    /// <summary>The head's training as Spectre tasks: the backbone's features first, then one task per epoch.</summary>
    sealed class HeadProgress(ProgressTask features, ProgressTask[] epochs) : IProgress<MarkHeadProgress>
    {
        public void Report(MarkHeadProgress value)
        {
            if (value.Epoch == 0)
            {
                if (!features.IsStarted) features.StartTask();
                features.MaxValue = value.TotalImages;
                features.Value = value.Images;
                if (value.Images == value.TotalImages) features.StopTask();
                return;
            }
            ShowEpoch(epochs[value.Epoch - 1], value.Epoch, value.Epochs, value.Batch, value.Batches, value.Loss);
        }
    }

    /// <summary>Reports synchronously: Spectre's tasks are thread-safe and training runs on this thread.</summary>
    sealed class Progress(ProgressTask[] tasks) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) =>
            ShowEpoch(tasks[value.Epoch - 1], value.Epoch, value.Epochs, value.Batch, value.Batches, value.Loss);
    }

    /// <summary>One epoch's task: started at its first batch, its loss in its description, stopped at its last.</summary>
    static void ShowEpoch(ProgressTask task, int epoch, int epochs, int batch, int batches, double loss)
    {
        if (!task.IsStarted) task.StartTask();
        task.MaxValue = batches;
        task.Value = batch;
        task.Description = $"epoch {epoch}/{epochs} loss {loss.ToString("F3", CultureInfo.InvariantCulture)}";
        if (batch == batches) task.StopTask();
    }
}

using System.ComponentModel;
using System.Globalization;
using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using Saliency.Attribution.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Commands;

public sealed class TrainSettings : CommandSettings
{
    [CommandOption("--epochs <N>")]
    [DefaultValue(8)]
    public int Epochs { get; init; } = 8;

    [CommandOption("--seed <N>")]
    [DefaultValue(7L)]
    public long Seed { get; init; } = 7;

    [CommandOption("--out <FILE>"), Description("Where the safetensors weights go.")]
    [DefaultValue("models/fashion-cnn.safetensors")]
    public string Out { get; init; } = "models/fashion-cnn.safetensors";

    [CommandOption("--threads <N>")]
    public int? Threads { get; init; }
}

public sealed class TrainCommand : Command<TrainSettings>
{
    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancellation)
    {
        if (settings.Epochs < 1) throw new ArgumentException($"--epochs must be at least 1, got {settings.Epochs}");
        TorchThreads.Apply(settings.Threads);
        var training = FashionMnist.Load("train");
        var test = FashionMnist.Load("test");

        FashionCnn network = null!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var tasks = Enumerable.Range(1, settings.Epochs).Select(e => progress.AddTask($"epoch {e}/{settings.Epochs}", autoStart: false)).ToArray();
                network = FashionCnnTrainer.Train(training, new TrainingOptions { Epochs = settings.Epochs, Seed = settings.Seed },
                    new Progress(tasks));
            });

        FashionCnnTrainer.Save(network, settings.Out);
        using var model = ModelLoader.LoadBuiltIn(settings.Out);
        var accuracy = Accuracy.Of(model, test);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"test accuracy [bold]{accuracy.ToString("P2", CultureInfo.InvariantCulture)}[/] on {test.Count} images; weights written to [bold]{settings.Out}[/] ({new FileInfo(settings.Out).Length / 1024} KiB)");
        return 0;
    }

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

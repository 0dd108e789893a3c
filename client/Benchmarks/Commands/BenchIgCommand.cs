using System.ComponentModel;
using System.Globalization;
using Saliency.Attribution.Baselines;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;
using Saliency.Cli.ModelOptions;
using Spectre.Console;
using Spectre.Console.Cli;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Saliency.Cli.Benchmarks.Commands;

public sealed class BenchIgSettings : BenchSettings
{
    [CommandOption("--model <MODEL>"), Description("fashion-cnn, untrained:ARCH, or a TorchScript / ONNX / weights file (with its JSON beside it).")]
    [DefaultValue(FashionCnn.BuiltInName)]
    public string Model { get; init; } = FashionCnn.BuiltInName;

    [CommandOption("--data <SELECTION>"), Description("Images to attribute (default: Fashion-MNIST's test split for fashion-cnn, the shipped photographs otherwise); repeated where fewer are needed.")]
    public string? Data { get; init; }

    [CommandOption("--steps <LIST>"), Description("Comma-separated IG step counts.")]
    [DefaultValue("16,64,256")]
    public string Steps { get; init; } = "16,64,256";

    [CommandOption("--images <N>"), Description("Images per IG measurement at 64 steps or more (64/steps times as many below).")]
    [DefaultValue(64)]
    public int Images { get; init; } = 64;

    [CommandOption("--batch <N>"), Description("Internal batch size of IG, and the batch of the raw measurement.")]
    [DefaultValue(64)]
    public int Batch { get; init; } = 64;

    [CommandOption("--repetitions <N>")]
    [DefaultValue(5)]
    public int Repetitions { get; init; } = 5;

    [CommandOption("--large-batch <N>"), Description("A second, larger batch measured raw and with IG at 64 steps (0 skips it).")]
    [DefaultValue(256)]
    public int LargeBatch { get; init; } = 256;

    [CommandOption("--memory-images <N>"), Description("Images attributed for the resident-memory measurement (0 skips it).")]
    [DefaultValue(10000)]
    public int MemoryImages { get; init; } = 10000;

    [CommandOption("--batches <LIST>"), Description("Batches at which IG at 32 steps is timed beside the default batch for the input's size (empty skips it).")]
    [DefaultValue("8,16,32,64,128")]
    public string Batches { get; init; } = "8,16,32,64,128";

    [CommandOption("--device <DEVICE>"), Description(DeviceOption.Description)]
    [DefaultValue("cpu")]
    public string Device { get; init; } = "cpu";
}

/// <summary>
/// IG throughput against the ceiling the hardware sets for this model: forward plus input-gradient
/// backward on batches of the same size, in the same process and threads; for any model and input size,
/// and beside Captum's IG on the same network when a Captum checkout is named.
/// </summary>
public sealed class BenchIgCommand : Command<BenchIgSettings>
{
    public override int Execute(CommandContext context, BenchIgSettings settings, CancellationToken cancellation)
    {
        // The model, and so its device, before any other use of torch: a CUDA build then starts with its CUDA backend loaded.
        using var model = new ModelSettings { Model = settings.Model, Device = settings.Device }.LoadModel();
        var threads = TorchThreads.Apply(settings.Threads);
        var fashion = settings.Model == FashionCnn.BuiltInName;
        var data = settings.Data ?? (fashion ? "fashion-mnist:test" : $"folder:{ShippedPhotos}");
        var (loaded, _) = ModelSettings.LoadImages(data, model);
        var stepCounts = settings.Steps.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).Distinct().ToArray();
        var needed = Math.Max(Math.Max(settings.Batch, settings.LargeBatch), settings.Images * Math.Max(1, 64 / stepCounts.Min()));
        var images = Repeated(loaded, needed);
        var sample = images.Slice(0, settings.Images);
        var table = new BenchmarkTable($"IG on {model.Spec.Name} ({images.Shape}), {model.ComputeDevice}, {threads} threads",
            "measurement", "steps", "images/s", "samples/s", "efficiency vs raw");

        // A whole IG run first, so that the first figure measured does not pay for the process's first passes.
        IgImagesPerSecond(model, sample, 16, settings.Batch);
        // Fewer steps, more images: every measurement does at least the work of 64 steps, so none is too short to time.
        var measured = stepCounts.ToDictionary(steps => steps, steps => images.Slice(0, settings.Images * Math.Max(1, 64 / steps)));
        var captum = CaptumReference.For(settings, data, fashion, torchScript: model.Spec.Architecture == "torchscript");
        var captumSteps = captum is null ? [] : stepCounts.Where(s => s >= 32).ToArray();
        // Each repetition measures the raw pass, IG at every step count with a raw pass after each, and Captum, in turn;
        // IG's efficiency is taken against the mean of the two raw passes around it, and every ratio is the median of the
        // repetitions' own ratios: a machine whose speed drifts during the run moves both sides of a ratio together.
        var rounds = new List<Round>();
        for (var r = 0; r < settings.Repetitions; r++)
        {
            var raws = new List<double> { RawSamplesPerSecond(model, images.Slice(0, settings.Batch)) };
            var (ig, rawAround) = (new Dictionary<int, double>(), new Dictionary<int, double>());
            foreach (var steps in stepCounts)
            {
                ig[steps] = IgImagesPerSecond(model, measured[steps], steps, settings.Batch);
                raws.Add(RawSamplesPerSecond(model, images.Slice(0, settings.Batch)));
                rawAround[steps] = (raws[^2] + raws[^1]) / 2;
            }
            var reference = captumSteps.ToDictionary(steps => steps, steps => captum!.ImagesPerSecond(steps, measured[steps].Count));
            rounds.Add(new Round(raws.Average(), ig, rawAround, reference));
        }

        var rawRate = Measure.Median(rounds.Select(r => r.Raw));
        table.Add($"raw forward+backward, batch {settings.Batch}", "-", "-", rawRate, 1.0);
        if (!model.ComputeDevice.IsCuda && fashion)
        {
            var saved = RawSamplesPerSecondWithSavedLayout(images.Slice(0, settings.Batch), settings.Repetitions);
            table.Add($"raw forward+backward, batch {settings.Batch}, convolution weights in their saved layout", "-", "-", saved, saved / rawRate);
        }
        foreach (var steps in stepCounts)
        {
            var rate = Measure.Median(rounds.Select(r => r.Ig[steps]));
            table.Add($"integrated gradients (black, gausslegendre), batch {settings.Batch}", steps, rate, rate * steps,
                Measure.Median(rounds.Select(r => r.Ig[steps] * steps / r.RawAround[steps])));
        }
        if (settings.LargeBatch > 0)
        {
            var largeBatch = settings.LargeBatch;
            RawSamplesPerSecond(model, images.Slice(0, largeBatch)); // warm-up: the first passes at a new batch size pay for its set-up
            var large = Enumerable.Range(0, settings.Repetitions).Select(_ =>
                (Raw: RawSamplesPerSecond(model, images.Slice(0, largeBatch)), Ig: IgImagesPerSecond(model, sample, 64, largeBatch))).ToArray();
            table.Add($"raw forward+backward, batch {largeBatch}", "-", "-", Measure.Median(large.Select(l => l.Raw)), 1.0);
            var largeRate = Measure.Median(large.Select(l => l.Ig));
            table.Add($"integrated gradients (black, gausslegendre), batch {largeBatch}", 64, largeRate, largeRate * 64,
                Measure.Median(large.Select(l => l.Ig * 64 / l.Raw)));
        }

        if (captum is null)
            AnsiConsole.MarkupLine("[grey]Captum comparison skipped: set SALIENCY_CAPTUM to a Captum checkout (needs /usr/bin/python3 with Debian's python3-torch); " +
                "other models than fashion-cnn need a TorchScript file and a folder of images[/]");
        foreach (var steps in captumSteps)
        {
            if (rounds.Any(r => r.Captum[steps] is null))
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]Captum failed at {steps} steps; its output is above[/]");
                continue;
            }
            var rate = Measure.Median(rounds.Select(r => r.Captum[steps]!.Value));
            table.Add($"Captum IG, same network, images and settings (batch {settings.Batch})", steps, rate, rate * steps,
                Measure.Median(rounds.Select(r => r.Captum[steps]!.Value * steps / r.Raw)));
            table.Add($"ratio: ours / Captum (images/s, batch {settings.Batch})", steps, Measure.Median(rounds.Select(r => r.Ig[steps] / r.Captum[steps]!.Value)), "-", "-");
        }

        if (settings.MemoryImages > 0 && fashion)
        {
            var (atThousand, atEnd) = ResidentMemory(model, images, settings.MemoryImages, settings.Batch);
            table.Add($"peak RSS MiB after 1000 / {settings.MemoryImages} images (16 steps)", 16, atThousand, atEnd, atEnd / atThousand);
        }
        table.Print();
        table.Write(settings.Out, "ig", Machine.Describe(threads));
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"written to [bold]{Path.Combine(settings.Out, "ig.md")}[/] and ig.csv");
        var batches = settings.Batches.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        if (batches.Length > 0)
        {
            var byBatch = BatchComparison(model, sample, batches, settings.Repetitions, threads);
            byBatch.Print();
            byBatch.Write(settings.Out, "ig-batches", Machine.Describe(threads));
        }
        return 0;
    }

    /// <summary>
    /// IG at 32 steps at each batch and at the default for the input's size, timed in turn, each round over every batch,
    /// so that the default is compared with the fastest in one run.
    /// </summary>
    static BenchmarkTable BatchComparison(ImageClassifier model, Saliency.Attribution.Data.ImageSet sample, int[] batches, int repetitions, int threads)
    {
        const int steps = 32;
        var chosen = PassBatch.DefaultFor(sample.Shape);
        var measured = batches.Append(chosen).Distinct().Order().ToArray();
        foreach (var batch in measured) IgImagesPerSecond(model, sample.Slice(0, Math.Min(2, sample.Count)), steps, batch); // each batch's first passes
        var rates = measured.ToDictionary(b => b, _ => new List<double>());
        for (var r = 0; r < repetitions; r++)
            foreach (var batch in measured) rates[batch].Add(IgImagesPerSecond(model, sample, steps, batch));
        var medians = measured.ToDictionary(b => b, b => Measure.Median(rates[b]));
        var fastest = medians.MaxBy(m => m.Value).Value;
        var table = new BenchmarkTable($"IG at {steps} steps by batch on {model.Spec.Name} ({sample.Shape}), {sample.Count} images, {threads} threads; " +
            $"the default for this input is {chosen}", "batch", "images/s", "of the fastest");
        foreach (var batch in measured)
            table.Add(batch == chosen ? $"{batch} (the default)" : $"{batch}", medians[batch], medians[batch] / fastest);
        return table;
    }

    /// <summary>The photographs the project ships, beside the executable.</summary>
    static string ShippedPhotos => Path.Combine(AppContext.BaseDirectory, "photos");

    /// <summary>The images again and again, to <paramref name="count"/>: a benchmark's batch need not be the data's size.</summary>
    static Saliency.Attribution.Data.ImageSet Repeated(Saliency.Attribution.Data.ImageSet images, int count)
    {
        if (images.Count >= count) return images;
        return images.Select(Enumerable.Range(0, count).Select(i => i % images.Count).ToArray());
    }

    /// <summary>
    /// One repetition's rates: raw samples/s (the mean of its raw passes, and by step count the mean of the two around
    /// that IG measurement), and IG's and Captum's images/s by step count.
    /// </summary>
    sealed record Round(double Raw, Dictionary<int, double> Ig, Dictionary<int, double> RawAround, Dictionary<int, double?> Captum);

    /// <summary>Samples per second of one timed run of forward+backward passes over <paramref name="batch"/>.</summary>
    static double RawSamplesPerSecond(ImageClassifier model, Saliency.Attribution.Data.ImageSet batch)
    {
        using var scope = NewDisposeScope();
        var pixels = model.Input(batch.ToTensor());
        var targets = zeros(batch.Count, ScalarType.Int64, model.Device);
        return PassesPerSecond(batch.Count, () =>
        {
            ClassScore.WithGradients(model, pixels, targets, ScoreKind.Logit);
            // GPU kernels run asynchronously; the clock stops when they have finished.
            if (model.ComputeDevice.IsCuda) cuda.synchronize(model.Device);
        });
    }

    /// <summary>
    /// The raw figure for the network as loaded, before <see cref="ImageClassifier"/> lays its convolution weights
    /// out channels-last: what that layout is worth, measured in the same process.
    /// </summary>
    static double RawSamplesPerSecondWithSavedLayout(Saliency.Attribution.Data.ImageSet batch, int repetitions)
    {
        using var network = new FashionCnn();
        network.load_safetensors(ModelLoader.BuiltInWeightsPath);
        network.eval();
        foreach (var parameter in network.parameters()) parameter.requires_grad = false;
        using var scope = NewDisposeScope();
        var pixels = batch.ToTensor();
        void Pass()
        {
            using var enabled = enable_grad();
            var input = pixels.detach().requires_grad_(true);
            var scores = network.call((input - FashionCnn.PixelMean[0]) / FashionCnn.PixelStd[0]).select(1, 0).sum();
            autograd.grad(new[] { scores }, new[] { input });
        }
        PassesPerSecond(batch.Count, Pass); // warm-up
        return Measure.Median(Enumerable.Range(0, repetitions).Select(_ => PassesPerSecond(batch.Count, Pass)).ToArray());
    }

    /// <summary>Samples per second of one timed run of four forward+backward <paramref name="pass"/>es over <paramref name="samples"/> samples.</summary>
    static double PassesPerSecond(int samples, Action pass)
    {
        const int passesPerRun = 4;
        var seconds = Measure.Seconds(() =>
        {
            for (var i = 0; i < passesPerRun; i++)
            {
                using var inner = NewDisposeScope();
                pass();
            }
        });
        return passesPerRun * samples / seconds;
    }

    /// <summary>Images per second of one timed IG run over <paramref name="images"/>.</summary>
    static double IgImagesPerSecond(ImageClassifier model, Saliency.Attribution.Data.ImageSet images, int steps, int batch)
    {
        var method = new IntegratedGradients(new IntegratedGradientsOptions
        {
            Baseline = Baseline.Parse("black"),
            Steps = steps,
            InternalBatchSize = batch,
        });
        return images.Count / Measure.Seconds(() =>
        {
            method.Attribute(model, images, Target.Predicted);
            if (model.ComputeDevice.IsCuda) cuda.synchronize(model.Device);
        });
    }

    static (double AtThousand, double AtEnd) ResidentMemory(ImageClassifier model, Saliency.Attribution.Data.ImageSet images, int count, int batch)
    {
        var method = new IntegratedGradients(new IntegratedGradientsOptions { Baseline = Baseline.Parse("black"), Steps = 16, InternalBatchSize = batch });
        const int chunk = 500;
        double atThousand = 0;
        for (var done = 0; done < count; done += chunk)
        {
            // Past the end of the data set the same images are attributed again.
            var start = done % images.Count;
            method.Attribute(model, images.Slice(start, Math.Min(chunk, Math.Min(count - done, images.Count - start))), Target.Predicted);
            if (done + chunk == 1000) atThousand = Machine.PeakResidentMiB();
        }
        return (atThousand, Machine.PeakResidentMiB());
    }
}

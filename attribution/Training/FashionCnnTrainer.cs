using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Saliency.Attribution.Training;

public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 8;
    public int BatchSize { get; init; } = 128;
    public double LearningRate { get; init; } = 2e-3;
    public long Seed { get; init; } = 7;
}

public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss);

/// <summary>Trains the built-in <see cref="FashionCnn"/> with Adam and a cosine learning-rate schedule, reproducibly from a seed.</summary>
public static class FashionCnnTrainer
{
    public static FashionCnn Train(ImageSet training, TrainingOptions options, IProgress<TrainingProgress>? progress = null)
    {
        random.manual_seed(options.Seed);
        var network = new FashionCnn();
        var optimizer = optim.Adam(network.parameters(), options.LearningRate);
        var batches = (training.Count + options.BatchSize - 1) / options.BatchSize;
        var schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, options.Epochs * batches);
        using var mean = tensor(FashionCnn.PixelMean).view(1, -1, 1, 1);
        using var std = tensor(FashionCnn.PixelStd).view(1, -1, 1, 1);
        var shuffle = new Random((int)options.Seed);

        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            network.train();
            var order = Enumerable.Range(0, training.Count).OrderBy(_ => shuffle.Next()).ToArray();
            for (var b = 0; b < batches; b++)
            {
                using var scope = NewDisposeScope();
                var batch = training.Select(order[(b * options.BatchSize)..Math.Min(training.Count, (b + 1) * options.BatchSize)]);
                var pixels = (batch.ToTensor() - mean) / std;
                var loss = nn.functional.cross_entropy(network.forward(pixels), tensor(batch.Labels.Select(l => (long)l).ToArray()));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                schedule.step();
                progress?.Report(new TrainingProgress(epoch, options.Epochs, b + 1, batches, loss.item<float>()));
            }
        }
        network.eval();
        return network;
    }

    public static void Save(FashionCnn network, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        network.save_safetensors(path);
    }
}

/// <summary>Top-1 accuracy of a classifier on labelled images.</summary>
public static class Accuracy
{
    public static double Of(ImageClassifier model, ImageSet images, int batchSize = 500) =>
        (double)Predictions.Of(model, images, batchSize).Where((predicted, p) => predicted == images.Labels[p]).Count() / images.Count;
}

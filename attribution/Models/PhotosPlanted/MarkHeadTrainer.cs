using Saliency.Attribution.Data.Planted;
using static TorchSharp.torch;

namespace Saliency.Attribution.Models.PhotosPlanted;

public sealed record MarkHeadTrainingOptions
{
    public int Epochs { get; init; } = 6;
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 3e-3;
    public double WeightDecay { get; init; } = 1e-4;
    public long Seed { get; init; } = 7;

    /// <summary>Images sent through the backbone at once while its features are computed.</summary>
    public int FeatureBatch { get; init; } = 16;
}

/// <summary>What training has done: the backbone's features of <see cref="Images"/> images so far, or an epoch's batches.</summary>
public sealed record MarkHeadProgress(int Images, int TotalImages, int Epoch, int Epochs, int Batch, int Batches, double Loss);

/// <summary>
/// Trains <c>photos-planted</c>'s head, reproducibly from a seed. The backbone is frozen, so its features of every
/// training image are computed once (stored as float16, 196 KiB an image) and the head is trained on them with Adam and a
/// cosine learning-rate schedule: a forward pass of the backbone per image in all, not one per image and epoch.
/// </summary>
public static class MarkHeadTrainer
{
    public static PhotosPlantedNetwork Train(IPlantedImages training, MarkHeadTrainingOptions options, IProgress<MarkHeadProgress>? progress = null)
    {
        random.manual_seed(options.Seed);
        var network = PhotosPlantedNetwork.Create();
        try
        {
            network.eval();
            foreach (var parameter in network.parameters()) parameter.requires_grad = false;
            using var features = Features(network, training, options.FeatureBatch, progress);
            var labels = training.Planted().Labels.Select(l => (long)l).ToArray();
            TrainHead(network.Head, features, labels, options, progress);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    static Tensor Features(PhotosPlantedNetwork network, IPlantedImages training, int batchSize, IProgress<MarkHeadProgress>? progress)
    {
        var images = training.Planted();
        using var noGrad = no_grad();
        Tensor? features = null;
        for (var start = 0; start < images.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(batchSize, images.Count - start);
            var batch = network.Features(images.Read(start, count).Images.ToTensor());
            features ??= empty([images.Count, .. batch.shape[1..]], ScalarType.Float16).MoveToOuterDisposeScope();
            features.narrow(0, start, count).copy_(batch.to(ScalarType.Float16));
            progress?.Report(new MarkHeadProgress(start + count, images.Count, 0, 0, 0, 0, double.NaN));
        }
        return features ?? throw new ArgumentException($"{images.Source}: no training images");
    }

    static void TrainHead(MarkHead head, Tensor features, long[] labels, MarkHeadTrainingOptions options, IProgress<MarkHeadProgress>? progress)
    {
        foreach (var parameter in head.parameters()) parameter.requires_grad = true;
        head.train();
        var optimizer = optim.Adam(head.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        var count = labels.Length;
        var batches = (count + options.BatchSize - 1) / options.BatchSize;
        var schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, options.Epochs * batches);
        var shuffle = new Random((int)options.Seed);
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var order = Enumerable.Range(0, count).OrderBy(_ => shuffle.Next()).ToArray();
            for (var b = 0; b < batches; b++)
            {
                using var scope = NewDisposeScope();
                var chosen = order[(b * options.BatchSize)..Math.Min(count, (b + 1) * options.BatchSize)];
                var batch = features.index_select(0, tensor(chosen.Select(p => (long)p).ToArray())).to(ScalarType.Float32);
                var loss = nn.functional.cross_entropy(head.call(batch), tensor(chosen.Select(p => labels[p]).ToArray()));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                schedule.step();
                progress?.Report(new MarkHeadProgress(count, count, epoch, options.Epochs, b + 1, batches, loss.item<float>()));
            }
        }
        head.eval();
        foreach (var parameter in head.parameters()) parameter.requires_grad = false;
    }
}

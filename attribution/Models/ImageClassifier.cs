using Saliency.Attribution.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Saliency.Attribution.Models;

/// <summary>
/// A classifier seen from pixel space: it takes [N, C, H, W] images in [0, 1], applies the model's
/// normalisation and returns logits. Attributions are computed against this function, so baselines
/// and maps live in pixel space whatever normalisation the network expects. The network and every tensor
/// it is given live on one <see cref="ComputeDevice"/>; <see cref="Input"/> puts tensors there.
/// </summary>
public sealed class ImageClassifier : IDisposable
{
    readonly nn.Module network;
    readonly nn.IModule<Tensor, Tensor> function;
    Tensor? mean, std;

    /// <param name="network">A module mapping a [N, C, H, W] tensor to [N, classes] logits.</param>
    /// <param name="device">A resolved device (<see cref="ComputeDevice.Resolve()"/>); the CPU when null.</param>
    public ImageClassifier(ModelSpec spec, nn.Module network, ComputeDevice? device = null)
    {
        spec.Validate();
        NativeHeapTuning.Apply();
        Spec = spec;
        ComputeDevice = device ?? ComputeDevice.Cpu;
        Device = ComputeDevice.Torch;
        this.network = network;
        function = network as nn.IModule<Tensor, Tensor>
            ?? throw new ArgumentException($"model '{spec.Name}': the network does not map one tensor to one tensor");
        if (ComputeDevice.IsCuda) network.to(Device);
        network.eval();
        // Attribution needs gradients with respect to inputs only; frozen weights skip their gradients.
        foreach (var parameter in network.parameters()) parameter.requires_grad = false;
        LayOutChannelsLast(network);
        SetNormalisation(ScalarType.Float32);
    }

    public ModelSpec Spec { get; }
    /// <summary>The network as laid out for attribution (4-D weights channels-last); save the module it was made from, not this.</summary>
    public nn.Module Network => network;
    public ScalarType DType { get; private set; } = ScalarType.Float32;
    public ComputeDevice ComputeDevice { get; }
    /// <summary>The torch device of the network; tensors given to <see cref="Logits"/> must be on it.</summary>
    public Device Device { get; }

    /// <summary>Pixels as the network takes them: its floating type, on its device (the same tensor when both already match).</summary>
    public Tensor Input(Tensor pixels) => pixels.to(DType, Device);

    public Tensor Logits(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        var input = pixels;
        if (mean is not null && std is not null) input = (input - mean) / std;
        return function.call(input).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Lays every 4-D weight out channels-last (NHWC strides, same shape and values). libtorch's oneDNN
    /// convolutions then keep activations in that layout end to end; from the default layout they reorder
    /// every activation into their own and back, which on small images costs more than the convolutions.
    /// The strides are set explicitly: for a weight with one input channel, permuting and calling
    /// <c>contiguous()</c> is a no-op, and libtorch would read the result as the default layout.
    /// </summary>
    static void LayOutChannelsLast(nn.Module network)
    {
        using var noGrad = no_grad();
        foreach (var parameter in network.parameters())
            if (parameter.dim() == 4)
            {
                var (channels, height, width) = (parameter.shape[1], parameter.shape[2], parameter.shape[3]);
                using var scope = NewDisposeScope();
                var values = parameter.permute(0, 2, 3, 1).reshape(-1).clone();
                parameter.set_(values.as_strided(parameter.shape, new[] { height * width * channels, 1, width * channels, channels }));
            }
    }

    /// <summary>
    /// Throws when images of <paramref name="shape"/> cannot be fed to this model, or when the model does not answer
    /// one such image with one row of class scores: a network that returns its input, or anything but [N, classes],
    /// is refused here, once, naming what it returned, rather than failing deep inside every work item.
    /// </summary>
    public void RequireInput(ImageShape shape, string source)
    {
        if (Spec.Input is { } expected && expected != shape)
            throw new ArgumentException($"{source}: images are {shape} but model '{Spec.Name}' expects {expected} (channels×height×width)");
        if (Spec.Mean is { Length: > 1 } m && m.Length != shape.Channels)
            throw new ArgumentException($"{source}: images have {shape.Channels} channels but model '{Spec.Name}' normalises {m.Length}");
        lock (probed)
        {
            if (probed.Contains(shape)) return;
            Classes = ProbeClasses(shape);
            probed.Add(shape);
        }
    }

    readonly HashSet<ImageShape> probed = [];

    /// <summary>The number of classes the model scores, once an input has been probed (<see cref="RequireInput"/>).</summary>
    public int? Classes { get; private set; }

    int ProbeClasses(ImageShape shape)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor logits;
        try { logits = Logits(Input(zeros(shape.WithBatch(2)))); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"model '{Spec.Name}' fails on images of {shape}: {TorchErrors.Brief(e.Message)}", e);
        }
        var output = logits.shape;
        if (output is not [2, > 0 and var classes])
            throw new InvalidDataException($"model '{Spec.Name}' returns [{string.Join(", ", output)}] for 2 images of {shape}; a classifier returns [2, classes]");
        // Scores that are not numbers make every map and metric meaningless: refused before any work, not image by image.
        if (!logits.isfinite().all().item<bool>())
            throw new InvalidDataException($"model '{Spec.Name}' returns {(logits.isnan().any().item<bool>() ? "NaN" : "infinite")} scores for 2 black images of {shape}");
        return (int)classes;
    }

    /// <summary>Moves the network to another floating type (double precision for numerical checks).</summary>
    public ImageClassifier To(ScalarType type)
    {
        network.to(type);
        SetNormalisation(type);
        return this;
    }

    void SetNormalisation(ScalarType type)
    {
        DType = type;
        mean?.Dispose();
        std?.Dispose();
        if (!Spec.Normalises) return;
        mean = tensor(Spec.Mean!).to(type, Device).view(1, -1, 1, 1).DetachFromDisposeScope();
        std = tensor(Spec.Std!).to(type, Device).view(1, -1, 1, 1).DetachFromDisposeScope();
    }

    readonly Dictionary<ImageShape, ImageClassifier?> proxies = [];

    /// <summary>
    /// The model's cheaper proxy for images of <paramref name="shape"/> (<see cref="ProxyPrecision"/>): <paramref name="choose"/>
    /// decides once per shape, and the proxy chosen is disposed with the model.
    /// </summary>
    public ImageClassifier? ProxyFor(ImageShape shape, Func<ImageClassifier?> choose)
    {
        lock (proxies)
        {
            if (!proxies.TryGetValue(shape, out var proxy)) proxies[shape] = proxy = choose();
            return proxy;
        }
    }

    public void Dispose()
    {
        lock (proxies)
        {
            foreach (var proxy in proxies.Values) proxy?.Dispose();
            proxies.Clear();
        }
        mean?.Dispose();
        std?.Dispose();
        network.Dispose();
    }
}

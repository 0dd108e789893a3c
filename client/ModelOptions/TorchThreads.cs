namespace Saliency.Cli.ModelOptions;

/// <summary>Sets libtorch's intra-op threads once per process.</summary>
public static class TorchThreads
{
    public static int Apply(int? requested)
    {
        var threads = requested is > 0 ? requested.Value : Environment.ProcessorCount;
        TorchSharp.torch.set_num_threads(threads);
        return threads;
    }
}

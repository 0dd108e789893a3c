namespace Saliency.Cli.ModelOptions;

/// <summary>The one wording of <c>--device</c> across commands.</summary>
public static class DeviceOption
{
    public const string Description =
        "Where models run: cpu, cuda, cuda:N or auto (CUDA when available, else cpu). CUDA needs a build with -p:SaliencyTorch=cuda.";
}

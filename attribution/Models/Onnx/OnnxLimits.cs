namespace Saliency.Attribution.Models.Onnx;

/// <summary>
/// The most an ONNX file may ask for when it loads. A file states its tensors' shapes; these bounds, and the rule that a
/// tensor's declared size equals the bytes it stores, keep a hostile file from making the reader allocate more than it holds.
/// </summary>
/// <param name="MaxFileBytes">The largest model file read (protobuf messages are at most 2 GiB; larger models keep weights as external data).</param>
/// <param name="MaxTensorBytes">The largest single tensor, initialiser or constant.</param>
/// <param name="MaxTotalBytes">All initialisers and constants together, in the file and in external data.</param>
/// <param name="MaxNodes">The most nodes a graph may have.</param>
public sealed record OnnxLimits(
    long MaxFileBytes = int.MaxValue,
    long MaxTensorBytes = int.MaxValue,
    long MaxTotalBytes = 16L << 30,
    int MaxNodes = 100_000)
{
    public static OnnxLimits Default { get; } = new();
}

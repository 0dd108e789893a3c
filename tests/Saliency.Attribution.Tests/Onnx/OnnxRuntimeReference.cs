using Microsoft.ML.OnnxRuntime;

namespace Saliency.Attribution.Tests.Onnx;

/// <summary>onnxruntime, the reference implementation of ONNX, run on a file: what our interpreter is compared against.</summary>
static class OnnxRuntimeReference
{
    public static (float[] Values, long[] Shape) Run(string path, float[] input, long[] shape)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var run = new RunOptions();
        using var results = session.Run(run, [session.InputNames[0]], [value], [session.OutputNames[0]]);
        return (results[0].GetTensorDataAsSpan<float>().ToArray(), results[0].GetTensorTypeAndShape().Shape);
    }
}

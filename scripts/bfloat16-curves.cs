// Deletion and insertion at every row on photos-planted, scored in float32 and in bfloat16: seconds per image of each,
// and how far bfloat16 moves each AUC. Whether reduced precision could make judging cheaper at the stated accuracy.
#:project ../attribution/Saliency.Attribution.csproj
#:property SaliencyTorch=cpu
#:property JsonSerializerIsReflectionEnabledByDefault=true
using System.Diagnostics;
using System.Globalization;
using Saliency.Attribution.Baselines;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;
using static TorchSharp.torch;

// From the repository root: dotnet run -c Release scripts/bfloat16-curves.cs -- [images] [threads] [curves.json] [first image]
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
set_num_threads(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2);
const int batch = 32;
using var single = ModelLoader.Load("photos-planted", new ModelMetadata(), ComputeDevice.Cpu);
var first = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0;
var images = ImageSelection.Parse($"photos-planted:test:{first}-{first + count - 1}").Open(single.Spec.Input, single.Spec.Preprocess).ReadAll();
single.RequireInput(images.Shape, images.Source);
var ig = new IntegratedGradients(new IntegratedGradientsOptions { Baseline = Baseline.Parse("black"), Steps = 32, InternalBatchSize = batch });
var maps = ig.Attribute(single, images, Target.Predicted);
CausalMetric[] metrics = [CausalMetric.Deletion(batchSize: batch), CausalMetric.Insertion(batchSize: batch)];

(IReadOnlyList<CurveScore>[] Curves, double Seconds) Judge(ImageClassifier model)
{
    var clock = Stopwatch.StartNew();
    var ends = CausalMetric.Ends(model, images, maps, metrics[0].Substrate, batch);
    var curves = metrics.Select(m => m.Score(model, images, maps, ends: ends)).ToArray();
    return (curves, clock.Elapsed.TotalSeconds / images.Count);
}

using var reduced = ModelLoader.Load("photos-planted", new ModelMetadata(), ComputeDevice.Cpu).To(ScalarType.BFloat16);
Judge(reduced); // the first passes of a type pay for oneDNN's kernels
var (full, fullSeconds) = Judge(single);
var (half, halfSeconds) = Judge(reduced);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{images.Count} photographs, every row: float32 {fullSeconds:F2} s per image, bfloat16 {halfSeconds:F2} s ({fullSeconds / halfSeconds:F2}× as fast)"));
foreach (var (name, k) in new[] { ("deletion", 0), ("insertion", 1) })
{
    var differences = full[k].Zip(half[k], (a, b) => Math.Abs(a.Auc - b.Auc)).ToArray();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}: |AUC float32 − AUC bfloat16| mean {differences.Average():F4}, largest {differences.Max():F4}"));
}
// With a file named, the curves themselves, as a test fixture: [[float32 curve, bfloat16 curve], ...], deletion's images
// then insertion's, every row, 4 decimals.
if (args.Length > 2)
{
    static string Values(double[] curve) => "[" + string.Join(',', curve.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture))) + "]";
    var pairs = new[] { 0, 1 }.SelectMany(k => full[k].Zip(half[k], (a, b) => $"[{Values(a.Curve)},{Values(b.Curve)}]"));
    File.WriteAllText(args[2], "[\n" + string.Join(",\n", pairs) + "\n]\n");
}

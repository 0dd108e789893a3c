// Measures ROAD's linear imputation at 224 × 224: iterations and seconds per group of 4 photographs × 14 masks × 3 channels.
#:project ../attribution/Saliency.Attribution.csproj
#:property SaliencyTorch=cpu
using System.Diagnostics;
using Saliency.Attribution.Data;
using Saliency.Attribution.Metrics;
using static TorchSharp.torch;

// From the repository root: dotnet run -c Release scripts/road-imputation-timing.cs -- [images per group, 1 to 4] [threads]
var imagesPerGroup = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 4;
set_num_threads(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2);
var photos = new[] { "astronaut", "chelsea", "coffee", "rocket" }.Take(imagesPerGroup).ToArray();
const int size = 224;
var shape = new ImageShape(3, size, size);
double[] fractions = [.. Road.DefaultFractions];
using var scope = NewDisposeScope();
var pixels = new List<Tensor>();
var masks = new List<Tensor>();
foreach (var (name, key) in photos.Select((n, i) => (n, i)))
{
    var values = new float[3 * size * size];
    ImageDecoder.Decode(Path.Combine("client", "photos", $"{name}.jpg"), key, shape,
        new ImagePreprocess(Resize: 256, Crop: size), values);
    var image = tensor(values, [1, 3, size, size]).to(float64);
    // A gradient-magnitude map, as a gradient method gives on a photograph: edges first, flat regions last (wide LeRF holes).
    var gray = image.mean([1], keepdim: true);
    var dy = nn.functional.pad(gray[.., .., 1.., ..] - gray[.., .., ..^1, ..], [0, 0, 0, 1]);
    var dx = nn.functional.pad(gray[.., .., .., 1..] - gray[.., .., .., ..^1], [0, 1, 0, 0]);
    var map = (dy * dy + dx * dx).sqrt().flatten();
    var order = map.sort(0, descending: true, stable: true).Indices;
    var rank = empty_like(order).index_put_(arange(order.shape[0]), order).view(1, 1, size, size);
    var counts = tensor(fractions.Select(p => (long)Math.Floor(p * size * size)).ToArray()).view(-1, 1, 1, 1);
    masks.Add(cat([rank < counts, rank >= size * size - counts], 0));
    pixels.Add(image.expand(2 * fractions.Length, 3, size, size));
}
var (images, removed) = (cat(pixels, 0), cat(masks, 0));
var clock = Stopwatch.StartNew();
var imputed = LinearImputation.Impute(images, removed, out var iterations);
var seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"{removed.shape[0]} systems × 3 channels at {size} × {size} ({photos.Length} photographs): {iterations} iterations, "
    + $"{seconds:F1} s, {seconds / photos.Length:F1} s per image, {get_num_threads()} threads");

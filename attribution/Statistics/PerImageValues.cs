namespace Saliency.Attribution.Statistics;

/// <summary>
/// Each trial's value of each metric on each image, gathered as a sweep's outcomes stream past, for paired statistics.
/// Images are columns shared by every trial and metric (a key's column is where it first arrived), so values sit in
/// plain arrays: 8 bytes per (trial, image, metric), 144 MB for 60 trials of 50,000 images and six metrics.
/// </summary>
public sealed class PerImageValues
{
    readonly Dictionary<int, int> columns = new();
    readonly Dictionary<(string Metric, int Trial), List<double>> values = new();

    public int Images => columns.Count;

    public void Add(string metric, int trial, int key, double value)
    {
        if (!columns.TryGetValue(key, out var column))
        {
            column = columns.Count;
            columns[key] = column;
        }
        if (!values.TryGetValue((metric, trial), out var list)) values[(metric, trial)] = list = new List<double>();
        while (list.Count <= column) list.Add(double.NaN);
        list[column] = value;
    }

    /// <summary>The mean over <paramref name="columns"/> (every column when null; repeats count again), NaN values left out; NaN when none is left.</summary>
    public static double Mean(double[] values, IEnumerable<int>? columns = null)
    {
        double sum = 0;
        var count = 0;
        foreach (var column in columns ?? Enumerable.Range(0, values.Length))
            if (column < values.Length && !double.IsNaN(values[column]))
            {
                sum += values[column];
                count++;
            }
        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>Per trial that measured <paramref name="metric"/>, its values by column, NaN where it has none.</summary>
    public IReadOnlyDictionary<int, double[]> Of(string metric) => values
        .Where(pair => pair.Key.Metric == metric)
        .ToDictionary(pair => pair.Key.Trial, pair =>
        {
            var row = Enumerable.Repeat(double.NaN, Images).ToArray();
            pair.Value.CopyTo(row);
            return row;
        });
}

using Saliency.Attribution.Results;

namespace Saliency.Attribution.Tests.Results;

public class StatisticsTests
{
    [Fact]
    public void Mean_sample_deviation_and_interval_of_five_values_match_the_direct_computation()
    {
        var values = new[] { 1.0, 2.0, 3.0, 4.0, 5.0 };
        var statistics = Accumulate(values);

        var mean = values.Average();
        var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        // t(0.975, 4), to more places than the tables give.
        var halfWidth = 2.7764451051977987 * std / Math.Sqrt(values.Length);
        var snapshot = statistics.Snapshot()!;
        Assert.Equal(5, snapshot.Count);
        Assert.Equal(mean, snapshot.Mean, 12);
        Assert.Equal(std, snapshot.Std!.Value, 12);
        Assert.Equal(mean - halfWidth, snapshot.Low!.Value, 12);
        Assert.Equal(mean + halfWidth, snapshot.High!.Value, 12);
    }

    [Fact]
    public void Deviation_and_interval_are_undefined_for_a_single_value()
    {
        var snapshot = Accumulate(new[] { 0.7 }).Snapshot()!;

        Assert.Equal(0.7, snapshot.Mean);
        Assert.Null(snapshot.Std);
        Assert.Null(snapshot.Low);
        Assert.Null(snapshot.High);
    }

    [Fact]
    public void No_values_give_no_snapshot() => Assert.Null(new RunningStatistics().Snapshot());

    [Fact]
    public void Merging_partial_statistics_equals_adding_every_value_in_turn()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 1000).Select(_ => 1e3 + random.NextDouble()).ToArray();
        var sequential = Accumulate(values);

        var merged = new RunningStatistics();
        foreach (var part in new[] { values[..1], values[1..400], values[400..400], values[400..] })
            merged.Merge(Accumulate(part));

        Assert.Equal(sequential.Count, merged.Count);
        Assert.Equal(sequential.Mean, merged.Mean, 9);
        Assert.Equal(sequential.Variance!.Value, merged.Variance!.Value, 9);
    }

    [Theory]
    [InlineData(2, 12.706)]
    [InlineData(5, 2.776)]
    [InlineData(31, 2.042)]
    [InlineData(121, 1.980)]
    public void The_interval_uses_the_student_t_quantile_of_the_tables(int count, double quantile)
    {
        var values = Enumerable.Range(0, count).Select(i => i % 2 == 0 ? 1.0 : 3.0).ToArray();
        var snapshot = Accumulate(values).Snapshot()!;

        var halfWidth = (snapshot.High!.Value - snapshot.Low!.Value) / 2;
        Assert.Equal(quantile, halfWidth / (snapshot.Std!.Value / Math.Sqrt(count)), 3);
    }

    static RunningStatistics Accumulate(IEnumerable<double> values)
    {
        var statistics = new RunningStatistics();
        foreach (var value in values) statistics.Add(value);
        return statistics;
    }
}

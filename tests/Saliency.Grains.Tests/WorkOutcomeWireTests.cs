using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Saliency.Attribution.Data;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Results;
using Saliency.Attribution.Sweeps;
using Saliency.Attribution.Sweeps.Engine;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;
using Saliency.Grains.Sweeps;
using WorkItem = Saliency.Grains.Contracts.WorkItem;

namespace Saliency.Grains.Tests;

/// <summary>
/// A worker's outcome on its way to the coordinator: typed records that Orleans' own serializer carries, every field of
/// the library's shard outcome kept, and a malformed one refused, naming its field, before anything of it is written.
/// </summary>
[Trait("Lane", "Unit")]
public sealed class WorkOutcomeWireTests : IDisposable
{
    static Serializer Serializer => OrleansWire.Serializer;

    static readonly WorkItem Item = new(Trial: 1, Shard: 0, Start: 0, Count: 4, Attempt: 0);

    readonly string directory = Directory.CreateTempSubdirectory("work-outcome-wire-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>Everything a shard outcome can hold, NaN and digits past the fifth included.</summary>
    static ShardOutcome Full() => new(Trial: 1, Shard: 0,
        Images:
        [
            new ImageOutcome(Key: 0, Label: 3, Target: 5, Score: 0.912345678901, BaselineScore: 0.1, AttributionSum: -2.5e-7, Steps: 32, Seconds: 0.25,
                Metrics: new Dictionary<string, double>
                {
                    [InsertionMetric.AucColumn] = 0.7123456789,
                    [DeletionMetric.AucColumn] = 0.1,
                    [CompletenessMetric.DeltaValue] = double.NaN,
                    [MetricNames.RandomLogit] = double.NegativeInfinity,
                },
                ModelRandomisation: [0.5, double.NaN, -0.25],
                Curves: new Dictionary<string, MetricCurve>
                {
                    [DeletionMetric.AucColumn] = new([0, 0.333333333333, 1], [0.9, 0.123456789, double.NaN]),
                    [RoadMetric.MorfColumn] = new([], []),
                }),
            new ImageOutcome(Key: 2, Label: 0, Target: 0, Score: 0.5, BaselineScore: null, AttributionSum: 0, Steps: 0, Seconds: 0),
        ],
        Maps: [new SampledMap(Key: 0, Channels: 1, Height: 2, Width: 3, Map: [1, -2, 0.5f, float.NaN, 0, 1e-9f])],
        Seconds: 1.5,
        Skipped: [new SkippedImage(Key: 1, File: "images/1.png", Reason: "truncated")],
        Start: 0, Count: 3, RandomisedLayers: ["fc", "conv3"], Part: 2);

    static WorkReport Report(WorkOutcome outcome) => new(Item with { Part = outcome.Part ?? 0 }, "worker", outcome);

    static ShardOutcome Received(ShardOutcome sent) =>
        Wire.Outcome(Serializer.Deserialize<WorkReport>(Serializer.SerializeToArray(Report(sent.ToWire())))!);

    static void AssertSame(ShardOutcome expected, ShardOutcome actual)
    {
        Assert.Equal((expected.Trial, expected.Shard, expected.Part, expected.Start, expected.Count, expected.Seconds),
            (actual.Trial, actual.Shard, actual.Part, actual.Start, actual.Count, actual.Seconds));
        Assert.Equal(expected.Images, actual.Images);
        Assert.Equal(expected.Images.Select(i => i.Metrics?.Keys.ToList()), actual.Images.Select(i => i.Metrics?.Keys.ToList()));
        Assert.Equal(expected.Maps.Select(m => (m.Key, m.Channels, m.Height, m.Width)), actual.Maps.Select(m => (m.Key, m.Channels, m.Height, m.Width)));
        Assert.Equal(expected.Maps.Select(m => m.Map), actual.Maps.Select(m => m.Map));
        Assert.Equal(expected.Skipped, actual.Skipped);
        Assert.Equal(expected.RandomisedLayers, actual.RandomisedLayers);
    }

    [Fact]
    public void Every_field_of_a_shard_outcome_survives_Orleans_serializer_with_every_digit_and_NaN()
    {
        var sent = Full();

        AssertSame(sent, Received(sent));
    }

    [Fact]
    public void What_a_shard_outcome_leaves_null_stays_null()
    {
        var sent = new ShardOutcome(Trial: 1, Shard: 0, Images: [new ImageOutcome(0, 1, 1, 0.5, null, 1, 8, 0.1)], Maps: [], Seconds: 0.1);

        var received = Received(sent);

        AssertSame(sent, received);
        Assert.Null(received.Part);
        Assert.Null(received.Start);
        Assert.Null(received.Skipped);
        Assert.Null(received.RandomisedLayers);
        Assert.All(received.Images, i => Assert.True(i is { Metrics: null, ModelRandomisation: null, Curves: null, BaselineScore: null }));
    }

    [Fact]
    public void A_value_under_every_column_a_metric_or_check_writes_is_received()
    {
        var columns = MetricNames.All.Except([MetricNames.Score, MetricNames.ModelRandomisation])
            .Concat([CompletenessMetric.DeltaValue, DeletionMetric.AucColumn + "_blur2.5k7", InsertionMetric.AucColumn + "_black"]).ToList();
        var sent = new ShardOutcome(1, 0, [new ImageOutcome(0, 1, 1, 0.5, null, 1, 8, 0.1, columns.ToDictionary(c => c, _ => 0.5))], [], 0.1);

        Assert.Equal(columns, Received(sent).Images[0].Metrics!.Keys);
    }

    [Fact]
    public void A_report_without_an_outcome_as_a_silo_of_the_json_version_sends_is_refused()
    {
        var refused = Assert.Throws<InvalidDataException>(() => Wire.Outcome(new WorkReport(Item, "worker", null!)));

        Assert.Equal("the outcome of trial 1 shard 0 is missing from its report", refused.Message);
    }

    [Fact]
    public void A_message_that_names_no_work_item_is_refused() =>
        Assert.Equal("the message names no work item", Assert.Throws<InvalidDataException>(() => ((WorkItem?)null).ToEngine()).Message);

    public static TheoryData<string, string> Malformed => new()
    {
        { "images missing", "the outcome of trial 1 shard 0: images is missing" },
        { "image null", "the outcome of trial 1 shard 0: images[1] is missing" },
        { "map shape", "the outcome of trial 1 shard 0: maps[0] of image 0 is shaped [1, 2, 2] but holds 6 values" },
        { "map values missing", "the outcome of trial 1 shard 0: maps[0].map is missing" },
        { "curve lengths", "the outcome of trial 1 shard 0: images[0].curves['deletion_auc'] has 3 fractions and 2 scores; a curve has one score per fraction" },
        { "metric under a field's name", "the outcome of trial 1 shard 0: images[0].metrics has a value under 'score', a column no metric writes" },
        { "metric under no column", "the outcome of trial 1 shard 0: images[0].metrics has a value under 'key', a column no metric writes" },
        { "curve under no column", "the outcome of trial 1 shard 0: images[0].curves has a value under 'other_substrates', a column no metric writes" },
        { "skipped file missing", "the outcome of trial 1 shard 0: skipped[0].file is missing" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_outcome_is_refused_naming_its_field(string malformation, string message)
    {
        var refused = Assert.Throws<InvalidDataException>(() => Wire.Outcome(Report(Malform(Full().ToWire(), malformation))));

        Assert.Equal(message, refused.Message);
    }

    static WorkOutcome Malform(WorkOutcome outcome, string malformation)
    {
        var image = outcome.Images[0];
        return malformation switch
        {
            "images missing" => outcome with { Images = null! },
            "image null" => outcome with { Images = [image, null!] },
            "map shape" => outcome with { Maps = [outcome.Maps[0] with { Width = 2 }] },
            "map values missing" => outcome with { Maps = [outcome.Maps[0] with { Map = null! }] },
            "curve lengths" => outcome with { Images = [image with { Curves = new() { [DeletionMetric.AucColumn] = new([0, 0.5, 1], [1, 0]) } }] },
            "metric under a field's name" => outcome with { Images = [image with { Metrics = new() { [MetricNames.Score] = 1 } }] },
            "metric under no column" => outcome with { Images = [image with { Metrics = new() { ["key"] = 7.5 } }] },
            "curve under no column" => outcome with { Images = [image with { Curves = new() { ["other_substrates"] = new([0], [1]) } }] },
            "skipped file missing" => outcome with { Skipped = [outcome.Skipped![0] with { File = null! }] },
            _ => throw new ArgumentException(malformation),
        };
    }

    [Fact]
    public void A_malformed_report_leaves_the_run_directory_as_it_was_and_the_item_in_flight()
    {
        const string spec = """
            name: wire
            model: fashion-cnn
            data: fashion-mnist:test:0-7
            methods: { ig: { steps: [8, 16] } }
            shard: 4

            """;
        var state = new SweepState { SweepId = "wire", Name = "wire", SpecText = spec, SpecFile = "wire.yaml", RunDirectory = directory, Status = SweepStatus.Running, ImageCount = 8 };
        using var session = SweepSession.Start(state, new SweepPlan(SweepSpec.Parse(spec, "wire.yaml"), 8), new SaliencySiloOptions(), NullLogger.Instance);
        var item = session.Engine.Next("worker", 1, 1, DateTime.UtcNow).Single().ToWire();
        var outcome = new ShardOutcome(item.Trial, item.Shard,
            [TestOutcomes.Image(0, 1, 1, 0.5, null, 1, null, null, 0.1, 0.2, 8, 0.1)], [new SampledMap(0, 1, 2, 2, new float[4])], 0.1).ToWire();
        var malformed = new WorkReport(item, "worker", outcome with { Maps = [outcome.Maps[0] with { Height = 3 }] });

        Assert.Throws<InvalidDataException>(() => session.Land(malformed, out _));

        session.Sync();
        Assert.Empty(ResultLog.ReadEntries(ResultLog.PathIn(directory)));
        Assert.False(Directory.Exists(Path.Combine(directory, "maps")));
        Assert.Equal(1, session.Engine.InFlight);
        Assert.Equal(SweepSession.Landing.Counted, session.Land(new WorkReport(item, "worker", outcome), out _));
        session.Sync();
        Assert.Single(ResultLog.ReadEntries(ResultLog.PathIn(directory)));
    }
}

using Saliency.Attribution.Results;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Results;

public class ResultLogTests
{
    [Fact]
    public void Outcomes_read_back_as_they_were_appended_without_their_maps()
    {
        using var run = new RunDirectory();
        var outcomes = SyntheticSweep.Outcomes().Take(3).ToList();
        var loggedAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
        using (var log = new ResultLog(run.Path))
            foreach (var outcome in outcomes) log.Append(outcome, loggedAt);

        var entries = ResultLog.ReadEntries(ResultLog.PathIn(run.Path)).ToList();

        Assert.Equal(outcomes.Count, entries.Count);
        for (var i = 0; i < outcomes.Count; i++)
        {
            Assert.Equal(loggedAt, entries[i].LoggedAt);
            Assert.Equal((outcomes[i].Trial, outcomes[i].Shard, outcomes[i].Seconds), (entries[i].Outcome.Trial, entries[i].Outcome.Shard, entries[i].Outcome.Seconds));
            Assert.Equal(outcomes[i].Images, entries[i].Outcome.Images);
            Assert.Empty(entries[i].Outcome.Maps);
        }
        Assert.DoesNotContain("map", File.ReadAllText(ResultLog.PathIn(run.Path)));
    }

    [Fact]
    public void Skipped_images_survive_the_round_trip_and_lines_without_them_read_as_none()
    {
        using var run = new RunDirectory();
        var (plain, withSkipped) = (SyntheticSweep.Outcomes().First(), SyntheticSweep.Outcomes().Skip(1).First());
        withSkipped = withSkipped with { Skipped = [new Data.SkippedImage(7, "/photos/a.jpg", "truncated: the image data ends early")] };
        using (var log = new ResultLog(run.Path))
        {
            log.Append(plain);
            log.Append(withSkipped);
        }

        var read = ResultLog.Read(ResultLog.PathIn(run.Path)).ToList();

        Assert.Empty(read[0].Skipped!);
        Assert.Equal(withSkipped.Skipped, read[1].Skipped);
        Assert.Equal(1, File.ReadAllText(ResultLog.PathIn(run.Path)).Split("skipped").Length - 1);
    }

    [Fact]
    public void Nulls_survive_the_round_trip()
    {
        using var run = new RunDirectory();
        var gradcam = SyntheticSweep.Outcomes().Last();
        using (var log = new ResultLog(run.Path)) log.Append(gradcam);

        var image = ResultLog.Read(ResultLog.PathIn(run.Path)).Single().Images[0];

        Assert.Equal(gradcam.Images[0], image);
        Assert.Null(image.Delta);
        Assert.Null(image.BaselineScore);
    }

    [Fact]
    public void A_last_line_cut_short_by_a_crash_is_skipped()
    {
        using var run = new RunDirectory();
        var path = WriteLog(run, 3);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^40]);

        Assert.Equal(2, ResultLog.Read(path).Count());
    }

    [Fact]
    public void A_corrupt_line_before_the_last_is_reported_with_its_line_number()
    {
        using var run = new RunDirectory();
        var path = WriteLog(run, 3);
        var lines = File.ReadAllLines(path);
        lines[1] = lines[1][..(lines[1].Length / 2)];
        File.WriteAllLines(path, lines);

        var error = Assert.Throws<InvalidDataException>(() => ResultLog.Read(path).ToList());

        Assert.Contains(path, error.Message);
        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public void Appending_after_a_crash_drops_the_unfinished_line()
    {
        using var run = new RunDirectory();
        var path = WriteLog(run, 2);
        File.AppendAllText(path, "{\"logged_at\":\"2025-");

        using (var log = new ResultLog(run.Path)) log.Append(SyntheticSweep.Outcomes().ElementAt(2));

        Assert.Equal(new[] { 0, 1, 0 }, ResultLog.Read(path).Select(outcome => outcome.Shard));
    }

    [Fact]
    public void The_log_can_be_read_while_it_is_open_for_appending()
    {
        using var run = new RunDirectory();
        using var log = new ResultLog(run.Path);
        log.Append(SyntheticSweep.Outcomes().First());

        Assert.Single(ResultLog.Read(log.Path));
    }

    [Fact]
    public void The_part_of_a_shard_an_outcome_covers_is_read_back_and_a_whole_shard_reads_as_none()
    {
        using var run = new RunDirectory();
        using (var log = new ResultLog(run.Path))
        {
            var outcome = SyntheticSweep.Outcomes().First();
            log.Append(outcome with { Start = 8, Count = 3 });
            log.Append(outcome);
        }

        var read = ResultLog.Read(ResultLog.PathIn(run.Path)).ToList();
        Assert.Equal((8, 3), (read[0].Start, read[0].Count));
        Assert.Equal((null, null), (read[1].Start, read[1].Count));
    }

    [Fact]
    public void A_missing_log_holds_nothing() =>
        Assert.Empty(ResultLog.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), ResultLog.FileName)));

    [Fact]
    public void Sampled_maps_are_stored_per_trial_and_key_and_read_back()
    {
        using var run = new RunDirectory();
        var map = new SampledMap(12, 2, 3, 4, Enumerable.Range(0, 24).Select(i => i / 7f).ToArray());

        var path = MapStore.Write(run.Path, 3, map);
        MapStore.Write(run.Path, 3, map);

        Assert.Equal(run.File(Path.Combine("maps", "trial-0003", "map_00012.npy")), path);
        var read = MapStore.Read(run.Path, 3, 12)!;
        Assert.Equal((2, 3, 4), (read.Channels, read.Height, read.Width));
        Assert.Equal(map.Map, read.Map);
        Assert.Equal(new[] { 12 }, MapStore.Keys(run.Path, 3));
        Assert.Null(MapStore.Read(run.Path, 3, 13));
    }

    static string WriteLog(RunDirectory run, int count)
    {
        using var log = new ResultLog(run.Path);
        foreach (var outcome in SyntheticSweep.Outcomes().Take(count)) log.Append(outcome);
        return log.Path;
    }
}

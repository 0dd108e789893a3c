using System.Text.Json;
using Saliency.Attribution.Data;
using Saliency.Attribution.Results;
using Saliency.Attribution.Statistics;
using Saliency.Attribution.Sweeps;
using Saliency.Grains.Contracts;

namespace Saliency.Web.Runs;

/// <summary>What a run directory holds at one moment: every trial's summary so far and the verdict as it stands.</summary>
/// <param name="Version">Grows whenever the logs grow: a page that saw this version has seen everything.</param>
/// <param name="Shards">Work items of each trial logged, by trial index.</param>
public sealed record RunSnapshot(long Version, IReadOnlyList<TrialSummary> Summaries, SweepVerdict? Verdict, IReadOnlyDictionary<int, int> Shards,
    int WorkItemsFailed, DateTimeOffset? FirstLogged, DateTimeOffset? LastLogged);

/// <summary>
/// One sweep's run directory, read while the coordinator writes it: <c>results.jsonl</c> and <c>failures.jsonl</c> are
/// followed line by line (<see cref="LogTail"/>), each outcome counted once into the trial aggregates the coordinator
/// keeps, so a live sweep and a finished one are read alike. What it keeps grows with the images and trials (a few
/// numbers per image and trial, for the verdict and the image pages); maps and curves stay on disk until asked for.
/// </summary>
public sealed class LiveRunDirectory
{
    /// <summary>How often the verdict (paired tests, a bootstrap of Kendall's τ) is taken again while the logs grow.</summary>
    public static readonly TimeSpan VerdictEvery = TimeSpan.FromSeconds(5);

    readonly Lock reading = new();
    readonly LogTail results;
    readonly LogTail failures;
    readonly Dictionary<int, TrialAggregate> aggregates;
    readonly HashSet<(int Trial, int Shard, int Start, int Part)> seen = new();
    readonly HashSet<(int Trial, int Shard, int Part)> failed = new();
    readonly Dictionary<int, int> shards = new();
    readonly Dictionary<(int Trial, int Key), long> lineOf = new();
    readonly Dictionary<int, Dictionary<int, double>> objectiveByImage = new();
    readonly PerImageValues values = new();
    readonly IReadOnlyList<string> rankedMetrics;
    readonly Lazy<ImageCatalog> images;
    DateTimeOffset? firstLogged, lastLogged;
    RunSnapshot? snapshot;
    (SweepVerdict? Verdict, long Version, DateTime At)? verdict;

    /// <exception cref="FileNotFoundException">The folder is not a run directory.</exception>
    /// <exception cref="SweepSpecException">Its spec does not parse.</exception>
    public LiveRunDirectory(string directory)
    {
        Directory = Path.GetFullPath(directory);
        var (run, specText) = RunDirectoryFile.Read(Directory);
        (SweepId, Name) = (run.SweepId, run.SweepName);
        Spec = SweepSpec.Parse(specText, Path.Combine(Directory, RunDirectoryFile.SpecFileName));
        var metrics = MetricNames.ColumnsFor(Spec).ToList();
        if (!metrics.Contains(Spec.Objective.Metric)) metrics.Insert(0, Spec.Objective.Metric);
        Metrics = metrics;
        rankedMetrics = metrics.Where(m => MetricNames.HigherIsBetter(m) is not null).ToList();
        aggregates = Spec.Trials.ToDictionary(t => t.Index, t => new TrialAggregate(t));
        results = new LogTail(ResultLog.PathIn(Directory));
        failures = new LogTail(Path.Combine(Directory, "failures.jsonl"));
        images = new Lazy<ImageCatalog>(() => Spec.OpenImages(), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Directory { get; }
    public string SweepId { get; }
    public string Name { get; }
    public SweepSpec Spec { get; }

    /// <summary>The result columns shown, the objective's first where the spec did not name it.</summary>
    public IReadOnlyList<string> Metrics { get; }

    /// <summary>The sweep's images in the order of the selection: an image's index on the pages is its position here.</summary>
    /// <exception cref="Exception">The images cannot be listed on this machine (a folder elsewhere, a file gone).</exception>
    public ImageCatalog Images => images.Value;

    /// <summary>Whether the coordinator has written the result files: the sweep completed, stopped or was cancelled.</summary>
    public bool HasResultFiles => File.Exists(Path.Combine(Directory, SummaryTable.FileName));

    /// <summary>The keys of the images the sweep keeps maps of (its first <c>maps</c> images).</summary>
    public IReadOnlySet<int> KeysWithMaps => Spec.KeysWithMaps(Images.Keys);

    /// <summary>Reads what the logs gained since the last call, and returns the sweep as it stands.</summary>
    /// <param name="stopped">Trials a halving schedule stopped, with why: ranked after the others and left out of the paired tests.</param>
    public RunSnapshot Snapshot(IReadOnlyDictionary<int, string>? stopped = null)
    {
        lock (reading)
        {
            var grew = ReadResults() | ReadFailures();
            var version = results.Offset + failures.Offset;
            var now = DateTime.UtcNow;
            if (verdict is not { } taken || (taken.Version != version && now - taken.At >= VerdictEvery) || (HasResultFiles && taken.Version != version))
                verdict = (Verdict(stopped), version, now);
            if (!grew && snapshot is not null && snapshot.Verdict == verdict.Value.Verdict) return snapshot;
            return snapshot = new RunSnapshot(version, Ranked(stopped), verdict.Value.Verdict, new Dictionary<int, int>(shards), failed.Count(f => f.Part == 0),
                firstLogged, lastLogged);
        }
    }

    /// <summary>Each trial's value of the objective on image <paramref name="key"/>, where logged.</summary>
    public IReadOnlyDictionary<int, double> ObjectiveOn(int key)
    {
        lock (reading) return objectiveByImage.TryGetValue(key, out var byTrial) ? new Dictionary<int, double>(byTrial) : new Dictionary<int, double>();
    }

    /// <summary>How much the trials disagree on each image: the spread (standard deviation) of the objective across trials, by key.</summary>
    public IReadOnlyDictionary<int, double> Disagreement()
    {
        lock (reading)
            return objectiveByImage.Where(pair => pair.Value.Count >= 2).ToDictionary(pair => pair.Key, pair =>
            {
                var mean = pair.Value.Values.Average();
                return Math.Sqrt(pair.Value.Values.Sum(v => (v - mean) * (v - mean)) / (pair.Value.Count - 1));
            });
    }

    /// <summary>What trial <paramref name="trial"/> logged of image <paramref name="key"/>, with its curves; null when nothing yet.</summary>
    public (ImageOutcome Outcome, IReadOnlyDictionary<string, Curve> Curves)? ImageOf(int trial, int key)
    {
        long offset;
        lock (reading)
            if (!lineOf.TryGetValue((trial, key), out offset)) return null;
        var line = results.LineAt(offset);
        var outcome = ResultLog.Parse(line).Outcome.Images.FirstOrDefault(i => i.Key == key);
        return outcome is null ? null : (outcome, ImageCurves.Of(line, key));
    }

    bool ReadResults()
    {
        var lines = results.ReadNew();
        foreach (var (offset, line) in lines)
        {
            LoggedShard entry;
            try { entry = ResultLog.Parse(line); }
            catch (JsonException e) { throw new InvalidDataException($"{results.Path}: the line at byte {offset} is not a shard outcome ({e.Message})", e); }
            var outcome = entry.Outcome;
            if (!aggregates.TryGetValue(outcome.Trial, out var aggregate))
                throw new InvalidDataException($"{results.Path}: the line at byte {offset} is of trial {outcome.Trial}, which the sweep does not have");
            if (!seen.Add((outcome.Trial, outcome.Shard, outcome.Start ?? -1, outcome.PartIndex))) continue;
            aggregate.Add(outcome, entry.LoggedAt);
            if (outcome.PartIndex != 0) continue;
            shards[outcome.Trial] = shards.GetValueOrDefault(outcome.Trial) + 1;
            if (firstLogged is null || entry.LoggedAt < firstLogged) firstLogged = entry.LoggedAt;
            if (lastLogged is null || entry.LoggedAt > lastLogged) lastLogged = entry.LoggedAt;
            foreach (var image in outcome.Images)
            {
                lineOf[(outcome.Trial, image.Key)] = offset;
                foreach (var metric in rankedMetrics)
                    if (MetricNames.ValueOf(metric, image) is { } value) values.Add(metric, outcome.Trial, image.Key, value);
                if (Spec.Objective.Of(image) is { } objective)
                {
                    if (!objectiveByImage.TryGetValue(image.Key, out var byTrial)) objectiveByImage[image.Key] = byTrial = new Dictionary<int, double>();
                    byTrial[outcome.Trial] = objective;
                }
            }
        }
        return lines.Count > 0;
    }

    bool ReadFailures()
    {
        var lines = failures.ReadNew();
        foreach (var (offset, line) in lines)
        {
            int trial, shard, part;
            string reason;
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                trial = root.GetProperty("trial").GetInt32();
                shard = root.GetProperty("shard").GetInt32();
                part = root.TryGetProperty("part", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : 0;
                reason = root.GetProperty("reason").GetString() ?? "";
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{failures.Path}: the line at byte {offset} is not a failed work item", e);
            }
            if (!aggregates.TryGetValue(trial, out var aggregate) || !failed.Add((trial, shard, part))) continue;
            // Worded as the coordinator words it, so the failure reads the same here, in status and in summary.csv.
            aggregate.Fail(part == 0 ? $"shard {shard}: {reason}" : $"shard {shard}, model-randomisation step {part}: {reason}");
        }
        return lines.Count > 0;
    }

    IReadOnlyList<TrialSummary> Ranked(IReadOnlyDictionary<int, string>? stopped)
    {
        var all = Spec.Trials.Select(t => aggregates[t.Index].Summary()).ToList();
        stopped ??= new Dictionary<int, string>();
        // As the result files rank them: a trial a schedule stopped rests on fewer images, so it follows every other.
        return [.. Spec.Objective.Rank(all.Where(s => !stopped.ContainsKey(s.Trial.Index))), .. Spec.Objective.Rank(all.Where(s => stopped.ContainsKey(s.Trial.Index)))];
    }

    SweepVerdict? Verdict(IReadOnlyDictionary<int, string>? stopped)
    {
        var ranked = Ranked(stopped);
        if (ranked.All(s => s.Images == 0)) return null;
        return SweepVerdict.Build(ranked, Spec.Objective, Metrics, values, Spec.Seed, Spec.Sanity, stopped);
    }
}

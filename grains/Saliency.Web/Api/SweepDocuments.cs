using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Saliency.Attribution.Results;
using Saliency.Attribution.Statistics;
using Saliency.Grains.Contracts;
using Saliency.Web.Runs;
using Saliency.Web.Sources;

namespace Saliency.Web.Api;

/// <summary>
/// The JSON documents of the API, built from a sweep's state. The <c>progress</c> member of a sweep is the record
/// <c>saliency status --json</c> prints, serialised the same way (<see cref="StatusJson"/>), so its numbers are the same;
/// everything else is in snake case.
/// </summary>
public static class SweepDocuments
{
    /// <summary>How <c>saliency status --json</c> writes a sweep's progress.</summary>
    public static readonly JsonSerializerOptions StatusJson = new() { Converters = { new JsonStringEnumConverter() } };

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>One row of <c>GET /api/sweeps</c>.</summary>
    public static JsonObject Listing(SweepEntry entry, SweepState? state)
    {
        var row = new JsonObject
        {
            ["id"] = entry.Id,
            ["name"] = entry.Name,
            ["status"] = Status(entry.Status),
            ["submitted"] = entry.Submitted,
        };
        if (state is null) return row;
        var progress = state.Progress;
        row["status"] = Status(progress.Status);
        row["objective"] = progress.Objective;
        row["percent"] = Percent(progress);
        row["eta_seconds"] = progress.EtaSeconds;
        row["work_items_done"] = progress.WorkItemsDone;
        row["work_items_total"] = progress.WorkItemsTotal;
        if (state.Run?.Snapshot(Stops(progress)) is { } snapshot && snapshot.Summaries.FirstOrDefault(s => s.Images > 0 && state.Run.Spec.Objective.ValueOf(s) is not null) is { } best)
            row["best"] = new JsonObject { ["trial"] = best.Trial.Index, ["label"] = best.Trial.Label, ["value"] = state.Run.Spec.Objective.ValueOf(best) };
        return row;
    }

    /// <summary><c>GET /api/sweeps/{id}</c>: progress, the trials best first, the verdict as it stands, and the sweep's images.</summary>
    public static JsonObject Sweep(SweepState state)
    {
        var progress = state.Progress;
        var document = new JsonObject
        {
            ["id"] = progress.SweepId,
            ["name"] = progress.Name,
            ["status"] = Status(progress.Status),
            ["percent"] = Percent(progress),
            ["eta_seconds"] = progress.EtaSeconds,
            ["progress"] = JsonSerializer.SerializeToNode(progress, StatusJson),
            ["unreadable"] = state.Unreadable,
        };
        if (state.Run is not { } run) return document;
        var stops = Stops(progress);
        var snapshot = run.Snapshot(stops);
        var objective = run.Spec.Objective;
        document["version"] = snapshot.Version;
        document["objective"] = new JsonObject { ["name"] = objective.Name, ["metric"] = objective.Metric, ["higher_is_better"] = objective.HigherIsBetter };
        document["schedule"] = run.Spec.Schedule.ToString();
        document["metrics"] = new JsonArray([.. run.Metrics.Select(m => JsonValue.Create(m))]);
        var parameters = SummaryTable.ParameterNames(snapshot.Summaries);
        document["parameters"] = new JsonArray([.. parameters.Select(p => JsonValue.Create(p))]);
        var live = progress.Trials.ToDictionary(t => t.Trial);
        var rows = new JsonArray();
        for (var rank = 0; rank < snapshot.Summaries.Count; rank++)
            rows.Add(Row(run, snapshot.Summaries[rank], rank + 1, snapshot.Verdict?.Of(snapshot.Summaries[rank].Trial.Index), live.GetValueOrDefault(snapshot.Summaries[rank].Trial.Index)));
        document["trials"] = rows;
        document["verdict"] = snapshot.Verdict is { } verdict ? Verdict(verdict) : null;
        document["images"] = Images(run);
        return document;
    }

    /// <summary><c>GET /api/sweeps/{id}/images/{index}</c>: the image, each trial's map and curves and its metrics on it.</summary>
    public static JsonObject Image(SweepState state, int index)
    {
        var run = state.Run!;
        var key = run.Images.Keys[index];
        var snapshot = run.Snapshot(Stops(state.Progress));
        var withMaps = run.KeysWithMaps;
        var label = run.Images.Labels[index];
        var basePath = $"/api/sweeps/{Uri.EscapeDataString(run.SweepId)}/images/{index}";
        var trials = new JsonArray();
        foreach (var summary in snapshot.Summaries.OrderBy(s => s.Trial.Index))
        {
            var trial = summary.Trial.Index;
            var logged = run.ImageOf(trial, key);
            var hasMap = File.Exists(MapStore.PathOf(run.Directory, trial, key));
            var row = new JsonObject
            {
                ["trial"] = trial,
                ["label"] = summary.Trial.Label,
                ["logged"] = logged is not null,
                ["map_url"] = hasMap ? $"{basePath}/maps/{trial}.png" : null,
                ["shared_map_url"] = hasMap ? $"{basePath}/maps/{trial}.png?scale=shared" : null,
            };
            if (logged is { } found)
            {
                var metrics = new JsonObject();
                foreach (var metric in run.Metrics)
                    if (MetricNames.ValueOf(metric, found.Outcome) is { } value) metrics[metric] = Finite(value);
                row["metrics"] = metrics;
                row["target"] = found.Outcome.Target;
                row["score"] = Finite(found.Outcome.Score);
                var curves = new JsonObject();
                foreach (var (column, curve) in found.Curves)
                    curves[column] = new JsonObject
                    {
                        ["fractions"] = new JsonArray([.. curve.Fractions.Select(f => JsonValue.Create(f))]),
                        ["scores"] = new JsonArray([.. curve.Scores.Select(s => JsonValue.Create(s))]),
                    };
                row["curves"] = curves;
            }
            trials.Add(row);
        }
        var classes = run.Images.ClassNames;
        return new JsonObject
        {
            ["sweep"] = run.SweepId,
            ["index"] = index,
            ["key"] = key,
            ["count"] = run.Images.Count,
            ["label"] = label,
            ["class_name"] = label >= 0 && label < classes.Count ? classes[label] : null,
            ["description"] = run.Images.Describe(index),
            ["has_maps"] = withMaps.Contains(key),
            ["image_url"] = $"{basePath}/image.png",
            ["previous"] = index > 0 ? index - 1 : null,
            ["next"] = index + 1 < run.Images.Count ? index + 1 : null,
            ["objective"] = run.Spec.Objective.Metric,
            ["trials"] = trials,
        };
    }

    /// <summary>The sweep's images by how much the trials disagree on them, most first: the spread of the objective across trials.</summary>
    public static JsonArray ImagesByDisagreement(LiveRunDirectory run, int limit)
    {
        var positions = run.Images.Keys.Select((key, index) => (key, index)).ToDictionary(p => p.key, p => p.index);
        var withMaps = run.KeysWithMaps;
        return new JsonArray([.. run.Disagreement().OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(limit)
            .Where(p => positions.ContainsKey(p.Key))
            .Select(p => (JsonNode)new JsonObject { ["index"] = positions[p.Key], ["key"] = p.Key, ["spread"] = p.Value, ["has_maps"] = withMaps.Contains(p.Key) })]);
    }

    /// <summary>Trials stopped by a halving schedule, as the coordinator reports them.</summary>
    public static IReadOnlyDictionary<int, string> Stops(SweepProgress progress) =>
        progress.Trials.Where(t => t.Stopped is not null).ToDictionary(t => t.Trial, t => t.Stopped!);

    static JsonObject Row(LiveRunDirectory run, TrialSummary summary, int rank, TrialVerdict? verdict, TrialProgress? live)
    {
        var metrics = new JsonObject();
        foreach (var metric in run.Metrics)
            if (summary.Metric(metric) is { } s)
                metrics[metric] = new JsonObject { ["mean"] = Finite(s.Mean), ["low"] = Finite(s.Low), ["high"] = Finite(s.High), ["count"] = s.Count };
        var parameters = new JsonObject();
        foreach (var (name, value) in summary.Trial.Parameters) parameters[name] = value;
        return new JsonObject
        {
            ["rank"] = rank,
            ["trial"] = summary.Trial.Index,
            ["label"] = summary.Trial.Label,
            ["method"] = summary.Trial.Method,
            ["parameters"] = parameters,
            ["metrics"] = metrics,
            ["images"] = summary.Images,
            ["seconds"] = Finite(summary.Seconds),
            ["images_per_s"] = Finite(summary.ImagesPerSecond),
            ["seconds_per_image"] = Finite(verdict?.SecondsPerImage ?? summary.MedianSecondsPerImage),
            ["failure"] = summary.Failure,
            ["state"] = live?.State,
            ["rung"] = live?.Rung,
            ["rungs"] = live?.Rungs,
            ["stopped"] = live?.Stopped,
            ["tied_with_best"] = verdict?.Tied,
            ["pareto"] = verdict?.Pareto,
            ["recommended"] = verdict?.Recommended,
            ["reason"] = verdict?.Reason,
            ["sanity"] = verdict?.Sanity is { } sanity ? new JsonObject([.. sanity.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)(p.Value ? "pass" : "fail")))]) : null,
            ["ranks"] = verdict is null ? null : new JsonObject([.. verdict.Ranks.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
            ["maps"] = MapStore.Keys(run.Directory, summary.Trial.Index).Count,
        };
    }

    static JsonObject Verdict(SweepVerdict verdict) => new()
    {
        ["findings"] = new JsonArray([.. verdict.Findings.Select(f => JsonValue.Create(f))]),
        ["agreements"] = new JsonArray([.. verdict.Agreements.Select(Agreement)]),
    };

    static JsonNode Agreement(RankAgreement a) => new JsonObject
    {
        ["first"] = a.First,
        ["second"] = a.Second,
        ["trials"] = a.Trials,
        ["tau"] = Finite(a.Tau),
        ["low"] = Finite(a.Low),
        ["high"] = Finite(a.High),
    };

    static JsonObject Images(LiveRunDirectory run)
    {
        try
        {
            var keys = run.Images.Keys;
            var withMaps = run.KeysWithMaps;
            return new JsonObject
            {
                ["count"] = keys.Count,
                ["with_maps"] = new JsonArray([.. keys.Select((key, index) => (key, index)).Where(p => withMaps.Contains(p.key)).Select(p => JsonValue.Create(p.index))]),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException)
        {
            return new JsonObject { ["count"] = 0, ["with_maps"] = new JsonArray(), ["unreadable"] = $"the sweep's images cannot be read here: {e.Message}" };
        }
    }

    static double? Percent(SweepProgress progress) =>
        progress.ImagesTotal > 0 ? Math.Min(100, 100 * progress.ImagesDone / progress.ImagesTotal)
        : progress.WorkItemsTotal > 0 ? 100.0 * progress.WorkItemsDone / progress.WorkItemsTotal : null;

    static string Status(SweepStatus status) => status.ToString().ToLowerInvariant();

    static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}

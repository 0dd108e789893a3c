using System.Globalization;
using Saliency.Grains.Contracts;
using Xunit.Abstractions;
using static Saliency.Cluster.Tests.RealProcessClusterTests;

namespace Saliency.Cluster.Tests;

/// <summary>
/// The cluster half of the bad-input corpus (<c>tests/bad-input/cluster-cases.tsv</c>): client commands given a sweep
/// id that does not exist or is no id, specs the coordinator must refuse, and sweeps whose
/// model fails on the workers — all run as processes against one real cluster while a good sweep runs on it, which
/// must end with every result exactly once.
/// </summary>
public sealed class ClusterBadInputTests(ITestOutputHelper output)
{
    static readonly string Corpus = Path.Combine(Binaries.RepositoryRoot, "tests", "bad-input");

    [Fact]
    public async Task Bad_cluster_commands_get_their_exact_errors_and_leave_a_running_sweep_unharmed()
    {
        const int images = 192;
        await using var cluster = await RealProcessCluster.Start(output);
        await Scenario(cluster, async () =>
        {
            var good = await cluster.Submit(Spec("unharmed", images), "unharmed");

            var cases = File.ReadLines(Path.Combine(Corpus, "cluster-cases.tsv")).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t')).ToList();
            var failures = new List<string>();
            foreach (var (fields, index) in cases.Select((c, i) => (c, i)))
            {
                var arguments = fields[0].Replace("{corpus}", Corpus).Replace("{out}", Path.Combine(cluster.Root, $"out-{index}"))
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var command = cluster.Cli($"case-{index}", arguments);
                var code = await command.Exit(TimeSpan.FromSeconds(90));
                var said = string.Join(' ', command.Lines.Select(l => l.Line.Trim()));
                var expected = int.Parse(fields[1], CultureInfo.InvariantCulture);
                output.WriteLine($"saliency {fields[0]}: exit {code}: {command.Lines.Select(l => l.Line).LastOrDefault(l => l.StartsWith("error:", StringComparison.Ordinal))}");
                if (code != expected || !said.Contains(fields[2], StringComparison.Ordinal))
                    failures.Add($"saliency {fields[0]}: exit {code} (expected {expected}), output: {command.Tail(8)}");
            }

            // Sweeps the coordinator accepts, since it cannot load their models, and the workers fail at their first attempt.
            var failing = new Dictionary<string, string>
            {
                [await cluster.Submit(ModelSpec("nan-model", Path.Combine(Corpus, "models", "nan-scores.torchscript.pt")), "nan-model")] = "returns NaN scores",
                [await cluster.Submit(ModelSpec("pickle-model", Path.Combine(Corpus, "..", "Saliency.Attribution.Tests", "Fixtures", "malicious-plain.pkl")), "pickle-model")] =
                    "refused to unpickle 'posix.system'",
            };
            foreach (var (id, message) in failing)
            {
                var failed = await cluster.WaitUntilFinished(id);
                if (failed.Status != SweepStatus.Failed || failed.Message?.Contains(message, StringComparison.Ordinal) != true || failed.Retries != 0)
                    failures.Add($"sweep {id}: {failed.Status} after {failed.Retries} retries, '{failed.Message}' (expected Failed, no retry, '{message}')");
            }

            var progress = await cluster.WaitUntilFinished(good);
            Assert.Empty(failures);
            Assert.Equal(SweepStatus.Completed, progress.Status);
            AssertEveryResultOnce(progress, trials: 2, images);
            Assert.Equal(0, progress.Retries);
        });
    }

    static string ModelSpec(string name, string model) => $"""
        name: {name}
        model: {model}
        data: fashion-mnist:test:0-31
        methods: {"{"}gradient: {"{}"}{"}"}
        shard: 16
        """;
}

using Microsoft.Extensions.Logging.Abstractions;
using Saliency.Attribution.Sweeps;
using Saliency.Attribution.Sweeps.Engine;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;
using Saliency.Grains.Sweeps;

namespace Saliency.Grains.Tests;

/// <summary>A sweep whose workers keep dying under it fails after a stated number of them, instead of reaching every worker in turn.</summary>
[Trait("Lane", "Unit")]
public sealed class WorkerDeathTests : IDisposable
{
    const string Spec = """
        name: deadly
        data: fashion-mnist:test:0-63
        methods: { gradient: {} }
        shard: 8
        """;

    readonly string directory = Directory.CreateTempSubdirectory("worker-death-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    SweepSession Start(int maxWorkerDeaths) => SweepSession.Start(new SweepState
    {
        SweepId = "deadly-20261207-031502",
        Name = "deadly",
        SpecText = Spec,
        SpecFile = "deadly.yaml",
        RunDirectory = directory,
        Status = SweepStatus.Running,
        ImageCount = 64,
    }, new SweepPlan(SweepSpec.Parse(Spec, "deadly.yaml"), 64), new SaliencySiloOptions { MaxWorkerDeaths = maxWorkerDeaths, Embedded = true }, NullLogger.Instance);

    static void Send(SweepSession session, string worker) => session.Engine.Next(worker, 1, 3, DateTime.UtcNow);

    [Fact]
    public void The_sweep_fails_once_as_many_workers_as_the_limit_died_holding_its_work()
    {
        using var session = Start(maxWorkerDeaths: 2);
        HashSet<string> live = ["w1", "w2", "w3"];
        foreach (var worker in live) Send(session, worker);

        live.Remove("w1");
        session.Expire(live, DateTime.UtcNow);
        Assert.Null(session.Ending());
        live.Remove("w2");
        session.Expire(live, DateTime.UtcNow);

        var (status, message) = session.Ending()!.Value;
        Assert.Equal(SweepStatus.Failed, status);
        Assert.Contains("2 workers left the cluster while computing this sweep's work items (w1, w2)", message);
        Assert.Contains("Saliency:MaxWorkerDeaths", message);
    }

    [Fact]
    public void A_worker_that_left_holding_none_of_the_sweeps_work_does_not_count()
    {
        using var session = Start(maxWorkerDeaths: 1);
        Send(session, "w1");

        session.Expire(new HashSet<string> { "w1" }, DateTime.UtcNow);

        Assert.Null(session.Ending());
    }
}

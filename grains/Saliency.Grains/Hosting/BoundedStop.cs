using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Saliency.Grains.Hosting;

/// <summary>
/// Runs a silo so that a stop ends within <see cref="SaliencySiloOptions.StopSeconds"/>, whatever the cluster is doing.
/// The host's shutdown timeout cancels the stop at that time, but a silo whose membership table has gone away (Redis
/// stopped) goes on retrying it for minutes, so once the bound has passed the process leaves at once: its work in flight
/// is dispatched again elsewhere, and what it recorded stays.
/// </summary>
public static class BoundedStop
{
    /// <summary>The exit code of a stop that ran past its bound.</summary>
    public const int PastBound = 3;

    public static async Task RunBoundedAsync(this IHost host, CancellationToken cancellation = default)
    {
        var seconds = host.Services.GetRequiredService<IOptions<SaliencySiloOptions>>().Value.StopSeconds;
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BoundedStop));
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        using var armed = lifetime.ApplicationStopping.Register(() => new Thread(() =>
        {
            Thread.Sleep(TimeSpan.FromSeconds(seconds));
            logger.LogError("the silo did not stop within {Seconds} s (Saliency:StopSeconds); leaving now", seconds);
            // The console logger writes from a queue of its own, which leaving now would cut short.
            Console.Error.WriteLine($"saliency: the silo did not stop within {seconds} s (Saliency:StopSeconds); leaving now");
            ImmediateExit.Now(PastBound);
        })
        { IsBackground = true, Name = "bounded stop" }.Start());
        await host.RunAsync(cancellation);
    }
}

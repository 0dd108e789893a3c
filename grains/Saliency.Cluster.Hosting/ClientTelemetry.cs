using System.Diagnostics;

namespace Saliency.Cluster.Hosting;

/// <summary>The client's spans: a sweep's trace starts where a user submits or runs it.</summary>
public static class ClientTelemetry
{
    public const string SourceName = "Saliency.Client";

    public static readonly ActivitySource Source = new(SourceName);
}

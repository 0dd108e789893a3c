using System.Diagnostics;

namespace Saliency.Attribution.Telemetry;

/// <summary>
/// The library's activity source: a span per method computation and per faithfulness metric. Plain
/// System.Diagnostics, so the library needs no telemetry package; hosts choose whether to listen.
/// </summary>
public static class AttributionTelemetry
{
    public const string SourceName = "Saliency.Attribution";

    public static readonly ActivitySource Source = new(SourceName);
}

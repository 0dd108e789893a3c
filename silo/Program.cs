using Saliency.Attribution.Models;
using Saliency.Grains.Hosting;

// Role, ports, roots and device: silo/appsettings.json, then environment (Saliency__Role=worker,
// Saliency__Device=cuda, Cluster__SiloPort=11112), then command line (--Saliency:Role worker --Cluster:PrimarySiloPort 11111).
try
{
    await SaliencyHosting.BuildSilo(args).RunBoundedAsync();
    return 0;
}
catch (Exception e) when (e is ComputeDeviceUnavailableException or ArgumentException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

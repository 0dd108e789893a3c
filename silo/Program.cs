using Microsoft.Extensions.Hosting;
using Saliency.Grains.Hosting;

// Role, ports and roots: silo/appsettings.json, then environment (Saliency__Role=worker,
// Cluster__SiloPort=11112), then command line (--Saliency:Role worker --Cluster:PrimarySiloPort 11111).
await SaliencyHosting.BuildSilo(args).RunAsync();

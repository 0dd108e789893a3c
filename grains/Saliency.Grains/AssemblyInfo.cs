using System.Runtime.CompilerServices;

// Public here: the hosting entry points alone (Hosting/: InProcessSilo, SaliencyHosting, AddSaliency, SaliencySiloOptions,
// SiloRole, BoundedStop, ImmediateExit; Workers/WorkerRegistryWait), which the client and silo/ use. Everything else is internal; the
// tests of its parts and the end-to-end tests that reach into a silo see it here.
[assembly: InternalsVisibleTo("Saliency.Grains.Tests")]
[assembly: InternalsVisibleTo("Saliency.Cluster.Tests")]

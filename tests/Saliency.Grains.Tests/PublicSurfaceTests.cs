using Saliency.Grains.Hosting;

namespace Saliency.Grains.Tests;

/// <summary>
/// The grains assembly shows the client and <c>silo/</c> its hosting entry points and nothing else: the grains, their
/// state and the coordinator's parts are internal (docs/architecture.md, "Which types are public").
/// </summary>
public sealed class PublicSurfaceTests
{
    static readonly string[] HostingEntryPoints =
    [
        "Saliency.Grains.Hosting.BoundedStop",
        "Saliency.Grains.Hosting.ImmediateExit",
        "Saliency.Grains.Hosting.InProcessSilo",
        "Saliency.Grains.Hosting.SaliencyHosting",
        "Saliency.Grains.Hosting.SaliencySiloBuilderExtensions",
        "Saliency.Grains.Hosting.SaliencySiloOptions",
        "Saliency.Grains.Hosting.SiloRole",
        "Saliency.Grains.Hosting.SiloRoles",
        "Saliency.Grains.Workers.WorkerRegistryWait",
    ];

    [Fact]
    public void Its_only_public_types_are_the_hosting_entry_points()
    {
        var exported = typeof(InProcessSilo).Assembly.GetExportedTypes()
            // What Orleans generates for the assembly (codecs, activators, metadata) is Orleans' to expose.
            .Where(t => t.Namespace?.StartsWith("OrleansCodeGen", StringComparison.Ordinal) != true)
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal);

        Assert.Equal(HostingEntryPoints, exported);
    }
}

using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Saliency.Cli.Cluster;

namespace Saliency.Cli.Tests;

/// <summary>The cluster commands speak the grain contracts alone: nothing of theirs reaches the grain implementations.</summary>
[Trait("Lane", "Unit")]
public sealed class ClusterCommandReferenceTests
{
    const string Implementations = "Saliency.Grains";
    static readonly Assembly Commands = typeof(SubmitCommand).Assembly;

    [Fact]
    public void Every_cluster_command_lives_in_the_cluster_client_library()
    {
        Type[] commands = [typeof(SubmitCommand), typeof(WatchCommand), typeof(StatusCommand), typeof(ResultsCommand), typeof(CancelCommand), typeof(ClusterConnection)];

        Assert.All(commands, command => Assert.Same(Commands, command.Assembly));
        Assert.Equal("Saliency.Cli.Cluster", Commands.GetName().Name);
    }

    [Fact]
    public void The_library_and_what_it_references_never_reference_the_grain_implementations()
    {
        var seen = new HashSet<string>();
        var pending = new Queue<Assembly>([Commands]);
        while (pending.TryDequeue(out var assembly))
            foreach (var name in assembly.GetReferencedAssemblies().Where(n => n.Name!.StartsWith("Saliency", StringComparison.Ordinal)))
            {
                Assert.False(name.Name == Implementations, $"{assembly.GetName().Name} references {Implementations}");
                if (seen.Add(name.Name!)) pending.Enqueue(Assembly.Load(name));
            }

        Assert.Contains("Saliency.Grains.Contracts", seen);
    }

    [Fact]
    public void Every_type_it_names_from_the_grains_namespace_comes_from_the_contracts()
    {
        using var file = File.OpenRead(Commands.Location);
        using var pe = new PEReader(file);
        var metadata = pe.GetMetadataReader();
        var fromGrains = metadata.TypeReferences.Select(metadata.GetTypeReference)
            .Where(t => metadata.GetString(t.Namespace).Split('.') is ["Saliency", "Grains", ..])
            .Select(t => (Type: metadata.GetString(t.Name), Scope: Scope(metadata, t.ResolutionScope)))
            .ToList();

        Assert.Contains(fromGrains, t => t.Type == "ISweepCoordinatorGrain");
        Assert.All(fromGrains, t => Assert.Equal("Saliency.Grains.Contracts", t.Scope));
    }

    [Fact]
    public void None_of_its_own_types_lives_in_the_grains_namespace()
    {
        var own = Commands.GetTypes().Where(t => t.Namespace is { } ns && (ns == Implementations || ns.StartsWith(Implementations + ".", StringComparison.Ordinal)));

        Assert.Empty(own);
    }

    static string Scope(MetadataReader metadata, EntityHandle scope) => scope.Kind switch
    {
        HandleKind.AssemblyReference => metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)scope).Name),
        // A nested type: the scope of the type it is nested in.
        HandleKind.TypeReference => Scope(metadata, metadata.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope),
        _ => scope.Kind.ToString(),
    };
}

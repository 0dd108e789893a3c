using System.Reflection;
using Saliency.Cli.Cluster;

namespace Saliency.Cli.Tests;

/// <summary>
/// The cluster commands speak the grain contracts alone: nothing of theirs reaches the grain implementations. The
/// contracts' namespace, <c>Saliency.Grains.Contracts</c>, says which side a type is on, and an assembly that never
/// references the implementations cannot name one of their types.
/// </summary>
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
    public void None_of_its_own_types_lives_in_the_grains_namespace()
    {
        var own = Commands.GetTypes().Where(t => t.Namespace is { } ns && (ns == Implementations || ns.StartsWith(Implementations + ".", StringComparison.Ordinal)));

        Assert.Empty(own);
    }
}

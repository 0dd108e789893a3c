using Saliency.Grains.Contracts;

namespace Saliency.Grains.Tests;

/// <summary>The contracts are named as what they are: a type's namespace says whether it crosses the wire.</summary>
public sealed class ContractsNamespaceTests
{
    [Fact]
    public void Every_public_type_of_the_contracts_lives_in_the_contracts_namespace()
    {
        var outside = typeof(ISweepCoordinatorGrain).Assembly.GetExportedTypes()
            .Where(t => t.Namespace != "Saliency.Grains.Contracts" && t.Namespace?.StartsWith("OrleansCodeGen", StringComparison.Ordinal) != true)
            .Select(t => t.FullName);

        Assert.Empty(outside);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Saliency.Grains.Contracts;
using Saliency.Grains.Sweeps;

namespace Saliency.Grains.Tests;

/// <summary>Orleans' own serializer, with the codecs it generates for the contracts and for the grains' state.</summary>
static class OrleansWire
{
    public static Serializer Serializer { get; } = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(WorkReport).Assembly).AddAssembly(typeof(SweepState).Assembly))
        .BuildServiceProvider().GetRequiredService<Serializer>();
}

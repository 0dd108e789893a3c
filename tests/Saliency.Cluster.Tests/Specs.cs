namespace Saliency.Cluster.Tests;

/// <summary>Small sweeps on the shipped fashion-cnn, sized so a test runs in seconds on two cores.</summary>
public static class Specs
{
    public static string Small(string name) => $$"""
        name: {{name}}
        model: fashion-cnn
        data: fashion-mnist:test:0-23
        methods:
          ig: { baseline: [black, uniform], steps: [8] }
          gradcam: {}
        metrics: [deletion, insertion, completeness]
        shard: 8
        seed: 3
        maps: 2
        """;

    /// <summary>Long enough (48 work items) that a silo can be killed or restarted while it runs.</summary>
    public static string Longer(string name) => $$"""
        name: {{name}}
        model: fashion-cnn
        data: fashion-mnist:test:0-191
        methods:
          ig: { baseline: [black, blur:2], steps: [16] }
        metrics: [deletion, insertion, completeness]
        shard: 8
        seed: 3
        maps: 0
        """;
}

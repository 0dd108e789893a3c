using Saliency.Attribution.Sweeps;
using Saliency.Grains.Hosting;

namespace Saliency.Grains.Tests;

/// <summary>What a silo lets a spec do, the rules admission and the workers share.</summary>
[Trait("Lane", "Unit")]
public sealed class SpecPolicyTests
{
    static readonly string TorchScript = Path.Combine(Binaries.RepositoryRoot, "tests", "bad-input", "models", "nan-scores.torchscript.pt");

    static SweepSpec Spec(string extra = "", string model = "fashion-cnn") => SweepSpec.Parse($"""
        name: policy
        model: {model}
        data: fashion-mnist:test:0-9
        methods: {"{"}gradient: {"{}"}{"}"}
        {extra}
        """, "policy.yaml");

    static SpecPolicy Policy(Action<SaliencySiloOptions>? configure = null)
    {
        var options = new SaliencySiloOptions { Embedded = true };
        configure?.Invoke(options);
        return new SpecPolicy(options);
    }

    [Fact]
    public void A_silo_that_does_not_trust_torchscript_refuses_a_torchscript_model_naming_the_key()
    {
        var error = Assert.Throws<UnauthorizedAccessException>(() => Policy(o => o.TrustTorchScript = false).Require(Spec(model: TorchScript)));

        Assert.Contains("is TorchScript", error.Message);
        Assert.Contains("Saliency:TrustTorchScript false", error.Message);
    }

    [Fact]
    public void A_silo_that_does_not_trust_torchscript_still_takes_weights() =>
        Policy(o => o.TrustTorchScript = false).Require(Spec());

    [Theory]
    [InlineData("shard: 5000", "shard comes to 5,000, above this cluster's limit of 4,096 (Saliency:Limits:MaxShard)")]
    [InlineData("batch: 10000", "batch comes to 10,000, above this cluster's limit of 4,096 (Saliency:Limits:MaxBatch)")]
    [InlineData("maps: 2000", "maps comes to 2,000, above this cluster's limit of 1,024 (Saliency:Limits:MaxMaps)")]
    public void A_size_above_the_silos_limit_is_refused_naming_the_field_the_limit_and_its_key(string extra, string expected) =>
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => Policy().Require(Spec(extra))).Message);

    [Fact]
    public void The_limits_are_the_silos_to_set() =>
        Assert.Contains("above this cluster's limit of 1 (Saliency:Limits:MaxTrials)",
            Assert.Throws<ArgumentException>(() => Policy(o => o.Limits.MaxTrials = 1).Require(SweepSpec.Parse("""
                name: policy
                data: fashion-mnist:test:0-9
                methods: {gradient: {}, random: {}}
                """, "policy.yaml"))).Message);

    [Fact]
    public void Images_and_work_items_past_the_limits_are_refused_once_the_images_are_counted()
    {
        var limits = new SweepLimits { MaxImages = 100, MaxWorkItems = 10 };
        Assert.Contains("selects 1,000 images", Assert.Throws<ArgumentException>(() => limits.Require(Spec(), 1000, 16)).Message);
        Assert.Contains("come to 16 work items", Assert.Throws<ArgumentException>(() => limits.Require(Spec(), 10, 16)).Message);
    }
}

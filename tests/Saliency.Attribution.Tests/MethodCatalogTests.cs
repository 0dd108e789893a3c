using Saliency.Attribution.Methods;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests;

/// <summary>The method catalogue is the one list of methods: each descriptor's parameters check, default and cost as one.</summary>
public class MethodCatalogTests
{
    public static TheoryData<string> Methods => [.. MethodCatalog.Names];

    [Theory]
    [MemberData(nameof(Methods))]
    public void Each_parameter_is_named_once_and_its_default_is_a_value_it_takes(string name)
    {
        var method = MethodCatalog.Get(name);
        Assert.Equal(method.Parameters.Count, method.Parameters.Select(p => p.Name).Distinct().Count());
        foreach (var parameter in method.Parameters.Where(p => p.Default is not null))
            Assert.Equal(parameter.Default, parameter.Canonical(parameter.Default!));
        Assert.Subset(method.Parameters.Select(p => p.Name).ToHashSet(), method.AlwaysNamed.ToHashSet());
    }

    [Fact]
    public void A_value_a_parameter_does_not_take_is_refused_naming_the_method_and_the_parameter()
    {
        var rise = MethodCatalog.Get("rise");
        var error = Assert.Throws<ArgumentException>(() => MethodArguments.For(rise, p => p == "probability" ? "1.5" : null));
        Assert.StartsWith("rise probability: expected a probability above 0 and at most 1", error.Message);
    }

    [Fact]
    public void A_trials_cost_is_read_from_the_parameter_that_sets_it()
    {
        var spec = SweepSpec.Parse("""
            name: n
            data: fashion-mnist:test:0-3
            methods:
              ig: {steps: [32, auto]}
              smoothgrad: {samples: 12}
              igos: {iterations: 3}
              gradient: {}
            """, "cost.yaml");

        var costs = spec.Trials.Select(t => StepLimit.Steps(t, Data.FashionMnist.Shape)).ToList();

        Assert.Equal([32L, IntegratedGradientsOptions.DefaultMaxSteps, 12L, 3L * 20], costs.Take(4).Select(c => c!.Count));
        Assert.Null(costs[4]);
    }

    [Fact]
    public void The_command_lines_named_parameters_and_a_specs_build_the_same_method()
    {
        var method = MethodCatalog.Get("igos-pp");
        var trial = SweepSpec.Parse("name: n\ndata: fashion-mnist:test:0-3\nmethods:\n  igos-pp: {l1: 0.5, iterations: 2}\n", "s.yaml").Trials[0];

        var fromSpec = TrialMethod.Arguments(method, trial).Values;
        var fromValues = MethodArguments.For(method, p => p switch { "l1" => "0.50", "iterations" => "2", _ => null }).Values;

        Assert.Equal(fromSpec.OrderBy(p => p.Key), fromValues.OrderBy(p => p.Key));
    }
}

using Saliency.Attribution.Sweeps;
using Saliency.Attribution.Sweeps.Engine;

namespace Saliency.Attribution.Tests.Sweeps.Engine;

/// <summary>A spec is parsed once per process, whichever role asks: the client, admission and a worker share it in an embedded run.</summary>
[Trait("Lane", "Unit")]
public sealed class ParsedSpecsTests
{
    static string Spec(string name) => $$"""
        name: {{name}}
        data: fashion-mnist:test:0-7
        methods: { gradient: {} }

        """;

    [Fact]
    public void The_same_text_of_the_same_file_is_parsed_once_and_every_asker_gets_that_spec()
    {
        var text = Spec("parsed-once-" + Guid.NewGuid().ToString("N")[..8]);

        var client = ParsedSpecs.Parse(text, "once.yaml");
        var admission = ParsedSpecs.Parse(text, "once.yaml");
        var worker = ParsedSpecs.Parse(new string(text.AsSpan()), "once.yaml");

        Assert.Same(client, admission);
        Assert.Same(client, worker);
        Assert.NotSame(client, ParsedSpecs.Parse(text, "other.yaml"));
    }

    [Fact]
    public void A_spec_that_fails_to_parse_is_not_kept_and_each_asking_gets_its_error()
    {
        var text = Spec("Not A Name");

        var first = Assert.Throws<SweepSpecException>(() => ParsedSpecs.Parse(text, "bad.yaml"));
        var second = Assert.Throws<SweepSpecException>(() => ParsedSpecs.Parse(text, "bad.yaml"));

        Assert.Equal(first.Message, second.Message);
        Assert.NotSame(first, second);
    }
}

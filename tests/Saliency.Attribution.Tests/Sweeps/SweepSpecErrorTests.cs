using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Sweeps;

/// <summary>Every rejected spec names the file, the line and the field, as a compiler would.</summary>
public class SweepSpecErrorTests
{
    const string Head = "name: n\ndata: fashion-mnist:test\n";

    static SweepSpecException Rejected(string text, int line, string field)
    {
        var error = Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(text, "spec.yaml"));
        Assert.Equal(("spec.yaml", line, field), (error.File, error.Line, error.Field));
        Assert.StartsWith(field.Length == 0 ? $"spec.yaml:{line}: " : $"spec.yaml:{line}: {field}: ", error.Message);
        return error;
    }

    [Fact]
    public void An_unknown_baseline_is_located_at_its_list_item_and_lists_the_known_ones()
    {
        var error = Rejected(Head + "methods:\n  ig:\n    baseline:\n      - black\n      - blurr\n", 7, "methods.ig.baseline");

        Assert.Equal("spec.yaml:7: methods.ig.baseline: unknown baseline 'blurr' (known: black, white, blur:SIGMA, blur:SIGMA:K, uniform, gaussian:SIGMA, max-distance, expected:K)", error.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("lots")]
    public void A_batch_that_is_neither_a_positive_integer_nor_auto_is_rejected(string batch) =>
        Assert.EndsWith($"expected an integer of at least 1 or 'auto', got '{batch}'",
            Rejected(Head + $"methods: {{gradient: {{}}}}\nbatch: {batch}\n", 4, "batch").Message);

    [Theory]
    [InlineData(40)]
    [InlineData(400_000)]
    public void Nesting_deeper_than_the_limit_is_refused_before_a_document_is_built(int depth)
    {
        // 400,000 levels, an 800 KB file, overflowed the stack of a loader that recurses once per level: no handler could catch it.
        var text = Head + "methods: {gradient: {}}\nmetrics: " + new string('[', depth) + "deletion" + new string(']', depth) + "\n";

        Assert.Contains($"nested deeper than {SweepSpec.MaxDepth} levels", Rejected(text, 4, "metrics").Message);
    }

    [Fact]
    public void A_spec_nested_as_deep_as_the_limit_is_judged_on_its_content()
    {
        var atTheLimit = new string('[', SweepSpec.MaxDepth - 1) + "deletion" + new string(']', SweepSpec.MaxDepth - 1);

        var error = Rejected(Head + "methods: {gradient: {}}\nmetrics: " + atTheLimit + "\n", 4, "metrics");

        Assert.DoesNotContain("nested deeper", error.Message);
    }

    [Fact]
    public void A_grid_past_the_trial_limit_is_refused_before_a_trial_is_made()
    {
        // 1,000 step counts × 101 baselines: 101,000 trials.
        var steps = string.Join(", ", Enumerable.Range(1, 1000));
        var baselines = string.Join(", ", Enumerable.Range(1, 101).Select(s => $"blur:{s}"));

        var error = Rejected(Head + $"methods:\n  ig: {{steps: [{steps}], baseline: [{baselines}]}}\n", 4, "methods");

        Assert.Contains("the sweep holds 101,000 trials; a spec holds at most 100,000", error.Message);
    }

    [Fact]
    public void A_sample_past_the_trial_limit_is_refused_before_a_draw() =>
        Assert.Contains("the sweep holds 20,000,000 trials", Rejected(Head + "sample: 20000000\nmethods: {gradient: {}}\n", 3, "sample").Message);

    [Fact]
    public void An_alias_is_refused_whatever_it_names() =>
        Assert.Contains("aliases (*name) are not allowed",
            Rejected(Head + "methods: &m {gradient: {}}\nmetrics: [deletion]\nsubstrate: *m\n", 5, "substrate").Message);

    [Fact]
    public void An_unknown_top_level_key_is_rejected() =>
        Assert.Contains("unknown key 'shards'", Rejected(Head + "methods: {gradient: {}}\nshards: 4\n", 4, "shards").Message);

    [Fact]
    public void An_unknown_method_parameter_is_rejected() =>
        Assert.Contains("unknown parameter 'step' of ig", Rejected(Head + "methods:\n  ig:\n    baseline: black\n    step: 8\n", 6, "methods.ig.step").Message);

    [Fact]
    public void A_parameter_of_a_method_that_takes_none_is_rejected() =>
        Assert.Contains("random takes no parameters", Rejected(Head + "methods:\n  random: {seed: 3}\n", 4, "methods.random.seed").Message);

    [Theory]
    [InlineData("methods: {gradient: {}}\nshard: abc\n", 4, "shard")]
    [InlineData("methods: {gradient: {}}\nshard: 0\n", 4, "shard")]
    [InlineData("methods: {gradient: {}}\nmaps: [1, 2]\n", 4, "maps")]
    [InlineData("methods:\n  ig: {steps: [8, many]}\n", 4, "methods.ig.steps")]
    [InlineData("methods:\n  ig: {steps: 0}\n", 4, "methods.ig.steps")]
    [InlineData("methods:\n  ig: {multiply_by_inputs: maybe}\n", 4, "methods.ig.multiply_by_inputs")]
    [InlineData("methods:\n  ig: 5\n", 4, "methods.ig")]
    [InlineData("methods: [ig]\n", 3, "methods")]
    public void A_value_of_the_wrong_type_is_rejected(string rest, int line, string field) => Rejected(Head + rest, line, field);

    [Theory]
    [InlineData("methods: {gradient: {}}\nmetrics: []\n", 4, "metrics")]
    [InlineData("methods:\n  ig: {steps: []}\n", 4, "methods.ig.steps")]
    public void An_empty_list_is_rejected(string rest, int line, string field) =>
        Assert.Contains("empty", Rejected(Head + rest, line, field).Message);

    [Fact]
    public void An_unknown_method_is_rejected() =>
        Assert.Contains("unknown method 'integrated-gradients'", Rejected(Head + "methods:\n  integrated-gradients: {}\n", 4, "methods.integrated-gradients").Message);

    [Fact]
    public void A_range_without_sample_is_rejected() =>
        Assert.Contains("sample", Rejected(Head + "methods:\n  ig:\n    steps: {min: 8, max: 64}\n", 5, "methods.ig.steps").Message);

    [Fact]
    public void A_missing_name_is_rejected() =>
        Assert.Contains("'name' is required", Rejected("data: fashion-mnist:test\nmethods: {gradient: {}}\n", 1, "name").Message);

    [Theory]
    [InlineData("name: n\nmethods: {gradient: {}}\n", 1, "data")]
    [InlineData("name: n\ndata: fashion-mnist:test\n", 1, "methods")]
    public void Other_missing_required_fields_are_rejected(string text, int line, string field) => Rejected(text, line, field);

    [Theory]
    [InlineData("methods:\n  ig: {rule: simpson}\n", 4, "methods.ig.rule", "unknown quadrature rule 'simpson'")]
    [InlineData("methods: {gradient: {}}\nmetrics: [deletion, faithfulness]\n", 4, "metrics", "unknown metric 'faithfulness'")]
    [InlineData("methods: {gradient: {}}\nsubstrate: {deletion: grey}\n", 4, "substrate.deletion", "unknown substrate 'grey'")]
    [InlineData("methods: {gradient: {}}\nsubstrate: {deletion: [blur, black, blur]}\n", 4, "substrate.deletion", "substrate 'blur' is listed twice")]
    [InlineData("methods: {gradient: {}}\nscore: softmax\n", 4, "score", "unknown score 'softmax'")]
    [InlineData("methods: {gradient: {}}\nobjective: accuracy\n", 4, "objective", "unknown objective 'accuracy'")]
    [InlineData("methods: {gradient: {}}\ntarget: biggest\n", 4, "target", "unknown target 'biggest'")]
    [InlineData("methods: {gradient: {}}\nmetrics: [completeness]\nobjective: deletion\n", 5, "objective", "needs metric 'deletion'")]
    [InlineData("methods:\n  ig: {steps: [1, 8], rule: riemann_trapezoid}\n", 4, "methods.ig.steps", "at least 2 steps")]
    [InlineData("methods: {gradient: {}}\nmetrics: [deletion, relevance-mass]\n", 4, "metrics", "metric " +
        "'relevance-mass' scores maps against ground truth, which data 'fashion-mnist:test' does not bring")]
    [InlineData("methods: {gradient: {}}\nground_truth: folder:masks\n", 4, "ground_truth", "ground-truth masks go with a folder of images, and data 'fashion-mnist:test' is not a folder")]
    [InlineData("methods: {gradient: {}}\nground_truth: masks:here\n", 4, "ground_truth", "unknown source 'masks'")]
    public void An_unknown_name_is_rejected(string rest, int line, string field, string fragment) =>
        Assert.Contains(fragment, Rejected(Head + rest, line, field).Message);

    [Fact]
    public void A_baseline_too_fine_to_write_is_rejected() =>
        Assert.Contains("blur:0", Rejected(Head + "methods:\n  ig: {baseline: blur:0.0001}\n", 4, "methods.ig.baseline").Message);

    [Fact]
    public void An_invalid_data_selection_is_rejected_without_loading() =>
        Assert.Contains("mnist:test", Rejected("name: n\ndata: mnist:test\nmethods: {gradient: {}}\n", 2, "data").Message);

    [Fact]
    public void A_name_with_spaces_is_rejected() =>
        Rejected("name: my sweep\ndata: fashion-mnist:test\nmethods: {gradient: {}}\n", 1, "name");

    [Fact]
    public void A_duplicate_key_is_rejected() =>
        Assert.Contains("seed", Rejected(Head + "methods: {gradient: {}}\nseed: 1\nseed: 2\n", 5, "seed").Message);

    [Fact]
    public void A_top_level_that_is_not_a_mapping_is_rejected() =>
        Assert.Contains("mapping", Rejected("- name: n\n- data: fashion-mnist:test\n", 1, "").Message);

    [Fact]
    public void Malformed_yaml_is_rejected_with_its_line() =>
        Rejected(Head + "methods: {gradient: {}}\nseed: a: b\n", 4, "");

    [Fact]
    public void A_file_that_cannot_be_read_names_its_path()
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), "missing.yaml");

        var error = Assert.Throws<SweepSpecException>(() => SweepSpec.Load(path));
        Assert.Contains(path, error.Message);
    }
}

using System.Text;
using System.Text.Json;
using Saliency.Attribution.Models;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

/// <summary>
/// Pickled model files are checked before they are unpickled. The fixtures come from
/// Fixtures/make_pickle_fixtures.py, whose payloads create <see cref="PayloadMarker"/> under Python's own unpickler.
/// </summary>
public class PickleGuardTests
{
    const string PayloadMarker = "/tmp/saliency-pickle-payload-ran";

    [Fact]
    public void A_state_dict_saved_by_pytorch_loads_and_gives_pytorchs_logits()
    {
        using var model = ModelLoader.Load(TestData.Fixture("fashion-cnn.state-dict.pt"));
        using var expected = JsonDocument.Parse(File.ReadAllText(TestData.Fixture("fashion-cnn.state-dict.expected.json")));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var logits = model.Logits(linspace(0, 1, 2 * 28 * 28).reshape(2, 1, 28, 28));

        var want = expected.RootElement.GetProperty("logits").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        Assert.Equal(want, logits.flatten().data<float>().ToArray(), (a, b) => Math.Abs(a - b) <= 1e-4f);
    }

    [Fact]
    public void A_state_dict_saved_by_torchsharp_passes()
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), "saved.pth");
        using (var network = new FashionCnn()) network.save_py(path);
        PickleGuard.RequireStateDict(path);
    }

    [Theory]
    [InlineData("malicious-state-dict.pt")] // torch.save archive, GLOBAL
    [InlineData("malicious-plain.pkl")] // bare pickle of protocol 4, STACK_GLOBAL over memoized strings
    public void A_pickle_calling_os_system_is_refused_naming_the_file_and_the_global_and_nothing_runs(string fixture)
    {
        File.Delete(PayloadMarker);
        var path = TestData.Fixture(fixture);

        var error = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path, new ModelMetadata { Architecture = FashionCnn.BuiltInName }));

        Assert.Contains(path, error.Message);
        Assert.Contains("refused to unpickle 'posix.system'", error.Message);
        Assert.Contains("torch._utils._rebuild_tensor_v2", error.Message);
        Assert.False(File.Exists(PayloadMarker), "the pickle's payload ran");
    }

    [Fact]
    public void Strings_popped_off_the_stack_do_not_hide_the_global_really_named()
    {
        var pickle = Pickle(Proto4, Short("os"), Short("system"), Short("collections"), Short("OrderedDict"), "00"u8.ToArray(), StackGlobal, Stop);
        var error = Assert.Throws<InvalidDataException>(() => PickleGuard.Walk(pickle, "popped.pkl"));
        Assert.Contains("'os.system'", error.Message);
    }

    [Fact]
    public void Strings_recalled_from_the_memo_name_the_global()
    {
        // "builtins" and "eval" stored at memo 0 and 1, then recalled after allowed names were pushed and dropped.
        var pickle = Pickle(Proto4, Short("builtins"), [(byte)'q', 0], Short("eval"), [(byte)'q', 1], "00"u8.ToArray(),
            Short("collections"), Short("OrderedDict"), "00"u8.ToArray(), [(byte)'h', 0], [(byte)'h', 1], StackGlobal, Stop);
        var error = Assert.Throws<InvalidDataException>(() => PickleGuard.Walk(pickle, "memo.pkl"));
        Assert.Contains("'builtins.eval'", error.Message);
    }

    [Fact]
    public void A_global_named_by_something_other_than_two_strings_is_refused()
    {
        var pickle = Pickle(Proto4, Short("collections"), [(byte)'K', 7], StackGlobal, Stop);
        var error = Assert.Throws<InvalidDataException>(() => PickleGuard.Walk(pickle, "numbers.pkl"));
        Assert.Contains("STACK_GLOBAL", error.Message);
    }

    [Fact]
    public void An_allowed_global_passes()
    {
        var pickle = Pickle(Proto4, Short("collections"), Short("OrderedDict"), StackGlobal, ")R"u8.ToArray(), Stop);
        PickleGuard.Walk(pickle, "ordered-dict.pkl");
    }

    [Fact]
    public void The_extension_registry_is_refused() =>
        Assert.Contains("EXT", Assert.Throws<InvalidDataException>(() => PickleGuard.Walk(Pickle(Proto4, [0x82, 1], Stop), "ext.pkl")).Message);

    [Fact]
    public void An_unknown_opcode_is_refused_with_its_offset() =>
        Assert.Contains("unknown opcode 0xff at byte 2", Assert.Throws<InvalidDataException>(() => PickleGuard.Walk(Pickle(Proto4, [0xff], Stop), "odd.pkl")).Message);

    [Fact]
    public void A_pickle_cut_short_is_refused() =>
        Assert.Contains("ends", Assert.Throws<InvalidDataException>(() => PickleGuard.Walk(Pickle(Proto4, [(byte)'X', 40, 0, 0, 0], "ab"u8.ToArray()), "short.pkl")).Message);

    static readonly byte[] Proto4 = [0x80, 4];
    static readonly byte[] StackGlobal = [0x93];
    static readonly byte[] Stop = [(byte)'.'];

    static byte[] Short(string text) => [0x8c, (byte)Encoding.UTF8.GetByteCount(text), .. Encoding.UTF8.GetBytes(text)];

    static MemoryStream Pickle(params byte[][] parts) => new(parts.SelectMany(p => p).ToArray());
}

using System.Text;
using System.Text.Json;
using Saliency.Attribution.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

/// <summary>
/// Pickled model files are checked before they are unpickled. The fixtures come from
/// Fixtures/make_pickle_fixtures.py, whose payloads create <see cref="PayloadMarker"/> under Python's own unpickler,
/// and Fixtures/make_tensor_bound_fixtures.py, whose tensors declare more than their files store.
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
        PickleGuard.RequireStateDict(File.ReadAllBytes(path), path);
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

    [Fact]
    public void A_storage_declaring_more_elements_than_its_entry_holds_is_refused_with_both_sizes()
    {
        var path = TestData.Fixture("storage-larger-than-entry.pt");

        var error = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path, new ModelMetadata { Architecture = FashionCnn.BuiltInName }));

        Assert.Contains(path, error.Message);
        Assert.Contains("a storage declares 268435456 elements of torch.FloatStorage, 1073741824 bytes, and its data entry holds 16 bytes", error.Message);
    }

    [Fact]
    public void A_tensor_viewing_past_its_storage_is_refused_with_its_view_and_the_storage_size()
    {
        var path = TestData.Fixture("view-past-storage.pt");

        var error = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path, new ModelMetadata { Architecture = FashionCnn.BuiltInName }));

        Assert.Contains(path, error.Message);
        Assert.Contains("a tensor of size [65536, 65536], stride [65536, 1] and offset 0 reaches element 4294967295 of its storage, which declares 4 elements", error.Message);
    }

    [Fact]
    public void A_storage_whose_data_entry_is_missing_is_refused()
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), "missing-entry.pt");
        File.Copy(TestData.Fixture("fashion-cnn.state-dict.pt"), path);
        using (var archive = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Update))
            archive.Entries.Single(e => e.FullName.EndsWith("/data/3", StringComparison.Ordinal)).Delete();

        var error = Assert.Throws<InvalidDataException>(() => PickleGuard.RequireStateDict(File.ReadAllBytes(path), path));

        Assert.Contains(path, error.Message);
        Assert.Contains("a storage of 32 elements names no data the file stores", error.Message);
    }

    [Fact]
    public void A_legacy_state_dict_whose_storages_match_the_bytes_after_its_pickles_passes()
    {
        var path = TestData.Fixture("legacy-state-dict.pt");
        PickleGuard.RequireStateDict(File.ReadAllBytes(path), path);
    }

    [Fact]
    public void A_legacy_state_dict_that_passes_the_guard_is_refused_by_the_loader_which_reads_only_the_zip_format()
    {
        var path = TestData.Fixture("legacy-state-dict.pt");

        var error = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path, new ModelMetadata { Architecture = FashionCnn.BuiltInName }));

        Assert.Contains(path, error.Message);
        Assert.Contains("old PyTorch format", error.Message);
    }

    [Fact]
    public void A_legacy_storage_declaring_more_elements_than_follow_its_pickles_is_refused()
    {
        var path = TestData.Fixture("legacy-storage-larger-than-stored.pt");

        var error = Assert.Throws<InvalidDataException>(() => PickleGuard.RequireStateDict(File.ReadAllBytes(path), path));

        Assert.Contains("a storage declares 268435456 elements of torch.FloatStorage, 1073741824 bytes, and the file stores 16 bytes", error.Message);
    }

    [Fact]
    public void A_view_inside_its_storage_passes() =>
        PickleGuard.Walk(Pickle(Proto4, Tensor(FloatStorage(4), offset: 1, size: [3], stride: [1]), Reduce, Stop), "inside.pkl");

    [Fact]
    public void An_empty_tensor_passes_whatever_its_offset() =>
        PickleGuard.Walk(Pickle(Proto4, Tensor(FloatStorage(0), offset: 9, size: [0, 5], stride: [5, 1]), Reduce, Stop), "empty.pkl");

    [Fact]
    public void A_view_repeating_elements_is_refused_for_the_elements_the_loader_allocates()
    {
        var pickle = Pickle(Proto4, Tensor(FloatStorage(4), offset: 0, size: [1000, 1000], stride: [0, 0]), Reduce, Stop);
        var error = Assert.Throws<InvalidDataException>(() => PickleGuard.Walk(pickle, "repeating.pkl"));
        Assert.Contains("holds 1000000 elements, more than the 4 its storage declares", error.Message);
    }

    [Fact]
    public void A_negative_stride_is_refused()
    {
        var pickle = Pickle(Proto4, Tensor(FloatStorage(4), offset: 3, size: [4], stride: [-1]), Reduce, Stop);
        Assert.Contains("negative", Assert.Throws<InvalidDataException>(() => PickleGuard.Walk(pickle, "negative.pkl")).Message);
    }

    [Fact]
    public void A_tensor_made_through_NEWOBJ_is_bounded_as_one_made_through_REDUCE()
    {
        var pickle = Pickle(Proto4, Tensor(FloatStorage(4), offset: 4, size: [1], stride: [1]), [0x81], Stop);
        Assert.Contains("reaches element 4 of its storage", Assert.Throws<InvalidDataException>(() => PickleGuard.Walk(pickle, "newobj.pkl")).Message);
    }

    [Fact]
    public void A_tensor_of_something_other_than_a_storage_is_refused()
    {
        var pickle = Pickle(Proto4, Tensor(Short("not a storage"), offset: 0, size: [1], stride: [1]), Reduce, Stop);
        Assert.Contains("are not a storage, an integer and two tuples", Assert.Throws<InvalidDataException>(() => PickleGuard.Walk(pickle, "text.pkl")).Message);
    }

    [Fact]
    public void A_persistent_id_other_than_a_storage_is_refused()
    {
        var pickle = Pickle(Proto4, Short("storage"), [0x85, (byte)'Q'], Stop);
        Assert.Contains("persistent id", Assert.Throws<InvalidDataException>(() => PickleGuard.Walk(pickle, "id.pkl")).Message);
    }

    static readonly byte[] Proto4 = [0x80, 4];
    static readonly byte[] Reduce = [(byte)'R'];
    static readonly byte[] StackGlobal = [0x93];
    static readonly byte[] Stop = [(byte)'.'];

    static byte[] Short(string text) => [0x8c, (byte)Encoding.UTF8.GetByteCount(text), .. Encoding.UTF8.GetBytes(text)];

    static MemoryStream Pickle(params byte[][] parts) => new(parts.SelectMany(p => p).ToArray());

    static byte[] Global(string module, string name) => [(byte)'c', .. Encoding.ASCII.GetBytes($"{module}\n{name}\n")];

    static byte[] Integer(int value) => [(byte)'J', .. BitConverter.GetBytes(value)];

    static byte[] Integers(int[] values) => [(byte)'(', .. values.SelectMany(Integer), (byte)'t'];

    /// <summary>A persistent id as torch.save writes it, <c>('storage', torch.FloatStorage, '0', 'cpu', elements)</c>, read by BINPERSID.</summary>
    static byte[] FloatStorage(int elements) =>
        [(byte)'(', .. Short("storage"), .. Global("torch", "FloatStorage"), .. Short("0"), .. Short("cpu"), .. Integer(elements), (byte)'t', (byte)'Q'];

    /// <summary><c>_rebuild_tensor_v2</c> and its arguments, <c>(storage, offset, size, stride, False, ())</c>, ready for a call.</summary>
    static byte[] Tensor(byte[] storage, int offset, int[] size, int[] stride) =>
        [.. Global("torch._utils", "_rebuild_tensor_v2"), (byte)'(', .. storage, .. Integer(offset), .. Integers(size), .. Integers(stride), 0x89, (byte)')', (byte)'t'];
}

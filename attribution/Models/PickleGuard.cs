using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using System.Text;

namespace Saliency.Attribution.Models;

/// <summary>
/// Checks a pickled PyTorch state dict before anything unpickles it. Unpickling calls whatever a pickle
/// names with GLOBAL, STACK_GLOBAL or INST, so a model file from elsewhere could run any code; a state
/// dict needs only tensors and plain containers. The opcodes are walked without running any: the stack
/// and the memo are followed only as far as knowing which strings name a global, and which strings, integers
/// and tuples a storage or a tensor is built from. Every global outside <see cref="AllowedGlobals"/> is refused,
/// and so is every opcode that could reach a global unseen (the extension registry, out-of-band buffers) or that
/// no pickle protocol defines.
/// <para>
/// Tensors are bounded by the bytes stored, since the loader allocates what they declare: each storage's element
/// count times its element size must be exactly the bytes the file stores for it, and each tensor must be a view
/// inside its storage holding no more elements than the storage. What the loader does with them is
/// TorchSharp.PyBridge's <c>PyTorchUnpickler</c>: a storage is the first archive entry whose name ends with
/// <c>data/KEY</c>, and a tensor is read into <c>torch.empty(size)</c>, so a tensor's own size is what it allocates.
/// </para>
/// Opcodes and their arguments follow CPython's <c>Lib/pickletools.py</c> (protocols 0 to 5); what the loader makes
/// of them follows Razorvine.Pickle, the unpickler TorchSharp.PyBridge runs.
/// </summary>
public static class PickleGuard
{
    /// <summary>The storage types a state dict's tensors may have, and their element sizes in bytes (TorchSharp.PyBridge's dtypes).</summary>
    static readonly Dictionary<string, int> StorageElementBytes = new(StringComparer.Ordinal)
    {
        ["torch.DoubleStorage"] = 8,
        ["torch.FloatStorage"] = 4,
        ["torch.HalfStorage"] = 2,
        ["torch.BFloat16Storage"] = 2,
        ["torch.LongStorage"] = 8,
        ["torch.IntStorage"] = 4,
        ["torch.ShortStorage"] = 2,
        ["torch.CharStorage"] = 1,
        ["torch.ByteStorage"] = 1,
        ["torch.BoolStorage"] = 1,
        ["torch.ComplexDoubleStorage"] = 16,
        ["torch.ComplexFloatStorage"] = 8,
    };

    /// <summary>The functions that make a tensor of a storage: <c>(storage, storage_offset, size, stride, ...)</c>.</summary>
    static readonly string[] TensorRebuilders = ["torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2"];

    /// <summary>
    /// What <c>torch.save(model.state_dict())</c> names, and what TorchSharp.PyBridge rebuilds: the dict, tensors
    /// and their storages. <c>_rebuild_parameter</c> is let through so the loader can say that a whole model was
    /// saved instead of its state dict. Tensor subclasses (<c>torch._tensor._rebuild_from_type_v2</c>), devices and
    /// sets are refused: a state dict of plain tensors never holds them, and the loader could not use them.
    /// </summary>
    public static IReadOnlySet<string> AllowedGlobals { get; } = new SortedSet<string>(
        ["collections.OrderedDict", "torch._utils._rebuild_parameter", .. TensorRebuilders, .. StorageElementBytes.Keys], StringComparer.Ordinal);

    /// <summary>Pickles the legacy (pre-zip) <c>torch.save</c> format writes before its raw storage bytes.</summary>
    const int LegacyPickles = 5;

    /// <summary>The longest storage key taken: torch.save and TorchSharp.PyBridge name storages by decimal numbers.</summary>
    const int LongestKey = 64;

    /// <summary>
    /// Checks every pickle of a <c>torch.save</c> file, and the tensors they declare against the bytes it stores: each
    /// <c>.pkl</c> entry of a zip archive against the archive's <c>data/KEY</c> entries, or the leading pickles of the
    /// legacy format (or of a bare pickle) against the storages that follow them.
    /// </summary>
    /// <param name="file">The file's bytes, as <see cref="ModelFile.Read"/> gave them; the loader takes the same.</param>
    /// <param name="path">How errors name the file.</param>
    /// <exception cref="InvalidDataException">
    /// The file names a refused global or opcode, declares tensors larger than it stores, or is not a pickle at all.
    /// </exception>
    public static void RequireStateDict(byte[] file, string path)
    {
        if (file.AsSpan().StartsWith("PK\x03\x04"u8)) RequireArchive(file, path);
        else RequireLegacy(file, path);
    }

    static void RequireArchive(byte[] file, string path)
    {
        using var stream = new MemoryStream(file, writable: false);
        using var archive = OpenZip(stream, path);
        // A compressed entry may declare any length: what the archive unpacks to is held to what a model file may hold.
        var unpacked = 0L;
        foreach (var entry in archive.Entries)
        {
            if (entry.Length > ModelFile.MaxBytes - unpacked)
                throw new InvalidDataException($"model file {path}: its archive entries unpack to more than the {ModelFile.MaxBytes} bytes a model file may hold");
            unpacked += entry.Length;
        }
        var pickles = archive.Entries.Where(e => e.FullName.EndsWith(".pkl", StringComparison.Ordinal)).ToArray();
        if (pickles.Length == 0) throw new InvalidDataException($"model file {path}: the archive holds no data.pkl");
        var stored = StoredEntries(archive);
        foreach (var entry in pickles)
        {
            var source = $"{path} ({entry.FullName})";
            using var pickle = entry.Open();
            RequireStored(Walked(pickle, source).Storages, stored, source, "its data entry holds");
        }
    }

    /// <summary>
    /// The length of the entry TorchSharp.PyBridge reads for each storage key: the first whose name ends with
    /// <c>data/KEY</c>. Only keys up to <see cref="LongestKey"/> characters are listed, as no longer one is taken.
    /// </summary>
    /// <remarks>
    /// PyBridge compares names with the current culture, which for the ASCII names torch.save writes is this ordinal
    /// comparison. Were a crafted name to make the two differ, the bounds still hold: a tensor allocates no more than
    /// the storage it declares, and the storage no more than the archive's entries unpack to.
    /// </remarks>
    static Dictionary<string, long> StoredEntries(ZipArchive archive)
    {
        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            var name = entry.FullName;
            var from = Math.Max(0, name.Length - LongestKey - "data/".Length);
            for (var at = name.IndexOf("data/", from, StringComparison.Ordinal); at >= 0; at = name.IndexOf("data/", at + 1, StringComparison.Ordinal))
                stored.TryAdd(name[(at + "data/".Length)..], entry.Length);
        }
        return stored;
    }

    /// <summary>
    /// The legacy format: five pickles (a magic number, the protocol version, system information, the state dict, and
    /// the list of its storage keys), then each storage in that list's order as an 8-byte element count and its bytes
    /// (<c>torch.serialization._legacy_save</c>). TorchSharp.PyBridge refuses the format; its storages are bounded all
    /// the same, so that no loader taking it allocates more than the file stores.
    /// </summary>
    static void RequireLegacy(byte[] file, string path)
    {
        using var stream = new MemoryStream(file, writable: false);
        var walks = new List<Walker>();
        for (var i = 0; i < LegacyPickles && stream.Position < stream.Length; i++) walks.Add(Walked(stream, path));
        var declared = walks.SelectMany(w => w.Storages).ToHashSet();
        if (declared.Count == 0) return;
        if (walks.Count < LegacyPickles || walks[^1].Result is not Value.List { Items: var keys } || keys.Any(k => k is not Value.Text))
            throw new InvalidDataException($"model file {path}: its pickle declares storages, but no list of their keys follows it");
        var elementSizes = declared.GroupBy(d => d.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().ElementBytes, StringComparer.Ordinal);
        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        var at = stream.Position;
        foreach (var key in keys.Cast<Value.Text>().Select(k => k.Content))
        {
            if (!elementSizes.TryGetValue(key, out var elementBytes))
                throw new InvalidDataException($"model file {path}: its list of storage keys names a storage that no tensor declares");
            if (file.Length - at < 8) throw new InvalidDataException($"model file {path}: it ends before the storages its pickle declares");
            var elements = BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan((int)at, 8));
            at += 8;
            if (elements < 0 || elements > (file.Length - at) / elementBytes)
                throw new InvalidDataException($"model file {path}: a storage counts {elements} elements of {elementBytes} bytes, and {file.Length - at} bytes of the file are left");
            if (!stored.TryAdd(key, elements * elementBytes))
                throw new InvalidDataException($"model file {path}: its list of storage keys names a storage twice");
            at += elements * elementBytes;
        }
        RequireStored(declared, stored, path, "the file stores");
    }

    /// <summary>Each storage declared is exactly the bytes stored for it: its element count times its element size.</summary>
    /// <param name="holds">How the message says what the file stores: "its data entry holds".</param>
    static void RequireStored(IEnumerable<StorageDeclaration> declared, IReadOnlyDictionary<string, long> stored, string source, string holds)
    {
        foreach (var storage in declared)
        {
            if (!stored.TryGetValue(storage.Key, out var bytes))
                throw new InvalidDataException($"model file {source}: a storage of {storage.Elements} elements names no data the file stores");
            if ((Int128)storage.Elements * storage.ElementBytes != bytes)
                throw new InvalidDataException(
                    $"model file {source}: a storage declares {storage.Elements} elements of {storage.Type}, " +
                    $"{(Int128)storage.Elements * storage.ElementBytes} bytes, and {holds} {bytes} bytes");
        }
    }

    /// <summary>
    /// Walks one pickle, up to and including its STOP, leaving <paramref name="pickle"/> just after it: its globals, and
    /// each tensor's view against the storage it declares. Whether the file stores those storages is
    /// <see cref="RequireStateDict"/>'s check.
    /// </summary>
    /// <param name="source">How errors name the pickle: the model file, and the archive entry.</param>
    public static void Walk(Stream pickle, string source) => Walked(pickle, source);

    static Walker Walked(Stream pickle, string source)
    {
        var walker = new Walker(pickle, source);
        walker.Run();
        return walker;
    }

    static ZipArchive OpenZip(Stream file, string path)
    {
        try { return new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true); }
        catch (InvalidDataException e) { throw new InvalidDataException($"model file {path} is not a valid zip archive: {e.Message}", e); }
    }

    /// <summary>A storage a persistent id declares: <c>('storage', storage type, key, location, element count)</c>.</summary>
    sealed record StorageDeclaration(string Key, string Type, long Elements)
    {
        public int ElementBytes => StorageElementBytes[Type];
    }

    /// <summary>
    /// What the walk knows of a value on the stack or in the memo; null for anything it does not follow (a dict, a
    /// float, a call's result). Lists are shared through the memo and grow by APPEND, as the unpickler's do.
    /// </summary>
    abstract record Value
    {
        public sealed record Text(string Content) : Value;

        public sealed record Integer(long Number) : Value;

        public sealed record Global(string Name) : Value;

        public sealed record Tuple(IReadOnlyList<Value?> Items) : Value;

        public sealed record List(List<Value?> Items) : Value;

        public sealed record None : Value;

        public sealed record Storage(StorageDeclaration Declared) : Value;
    }

    sealed class Walker(Stream input, string source)
    {
        const int LongestName = 1024;
        static readonly Value.None NoneValue = new();
        readonly List<Value?> stackRoot = new();
        readonly Stack<List<Value?>> marks = new();
        readonly Dictionary<long, Value?> memo = new();
        List<Value?> stack = null!;
        long offset;
        long opcodeOffset;
        byte opcode;

        /// <summary>The storages the pickle's persistent ids declare.</summary>
        public HashSet<StorageDeclaration> Storages { get; } = new();

        /// <summary>The value the pickle leaves on top of its stack at STOP: what unpickling it returns.</summary>
        public Value? Result { get; private set; }

        public void Run()
        {
            stack = stackRoot;
            while (true)
            {
                opcodeOffset = offset;
                opcode = Byte();
                switch (opcode)
                {
                    case (byte)'.': // STOP
                        Result = stack.Count > 0 ? stack[^1] : null;
                        return;
                    case 0x80: // PROTO
                        var protocol = Byte();
                        if (protocol > 5) throw Malformed($"pickle protocol {protocol} is newer than 5");
                        break;
                    case 0x95: // FRAME: a length hint only; its opcodes follow as usual
                        Skip(8);
                        break;

                    case (byte)'(': // MARK
                        marks.Push(stack);
                        stack = new List<Value?>();
                        break;
                    case (byte)'0': // POP
                        if (stack.Count > 0) stack.RemoveAt(stack.Count - 1);
                        else PopMark();
                        break;
                    case (byte)'1': // POP_MARK
                        PopMark();
                        break;
                    case (byte)'2': // DUP
                        Push(Peek());
                        break;

                    case (byte)'N': // NONE
                        Push(NoneValue);
                        break;
                    case 0x88:
                    case 0x89: // NEWTRUE, NEWFALSE
                        Push(null);
                        break;
                    case (byte)'I': // INT as text; 00 and 01 are False and True
                        Push(ShortLine() is { } integer && integer is not ("00" or "01") ? Number(integer) : null);
                        break;
                    case (byte)'L': // LONG as text, with a trailing L
                        Push(ShortLine() is { } text ? Number(text.TrimEnd('L')) : null);
                        break;
                    case (byte)'F': // FLOAT as text
                        SkipLine();
                        Push(null);
                        break;
                    case (byte)'K': Push(new Value.Integer(Byte())); break; // BININT1
                    case (byte)'M': Push(new Value.Integer((long)Unsigned(2))); break; // BININT2
                    case (byte)'J': Push(new Value.Integer(unchecked((int)Unsigned(4)))); break; // BININT, signed
                    case (byte)'G': Skip(8); Push(null); break; // BINFLOAT
                    case 0x8a: Push(Signed(Byte())); break; // LONG1
                    case 0x8b: Push(Signed(Length(4))); break; // LONG4

                    // Text the unpickler unescapes is followed only where it holds no escape.
                    case (byte)'S': // STRING: a quoted Python literal
                        Push(Unescaped(Line().Trim('\'', '"')));
                        break;
                    case (byte)'V': // UNICODE: raw-unicode-escape text
                        Push(Unescaped(Line()));
                        break;
                    case (byte)'U': Push(new Value.Text(Text(Byte(), Encoding.Latin1))); break; // SHORT_BINSTRING
                    case (byte)'T': Push(new Value.Text(Text(Length(4), Encoding.Latin1))); break; // BINSTRING
                    case 0x8c: Push(new Value.Text(Text(Byte(), Encoding.UTF8))); break; // SHORT_BINUNICODE
                    case (byte)'X': Push(new Value.Text(Text(Length(4), Encoding.UTF8))); break; // BINUNICODE
                    case 0x8d: Push(new Value.Text(Text(Length(8), Encoding.UTF8))); break; // BINUNICODE8
                    case (byte)'C': Skip(Byte()); Push(null); break; // SHORT_BINBYTES
                    case (byte)'B': Skip(Length(4)); Push(null); break; // BINBYTES
                    case 0x8e: case 0x96: Skip(Length(8)); Push(null); break; // BINBYTES8, BYTEARRAY8

                    case (byte)'}':
                    case 0x8f: // EMPTY_DICT, EMPTY_SET
                        Push(null);
                        break;
                    case (byte)']': // EMPTY_LIST
                        Push(new Value.List(new List<Value?>()));
                        break;
                    case (byte)')': // EMPTY_TUPLE
                        Push(new Value.Tuple(Array.Empty<Value?>()));
                        break;
                    case (byte)'t': // TUPLE
                        Push(new Value.Tuple(PopMark()));
                        break;
                    case (byte)'l': // LIST
                        Push(new Value.List(PopMark()));
                        break;
                    case (byte)'d':
                    case 0x91: // DICT, FROZENSET
                        PopMark();
                        Push(null);
                        break;
                    case 0x85:
                    case 0x86:
                    case 0x87: // TUPLE1, TUPLE2, TUPLE3
                        var items = new Value?[opcode - 0x84];
                        for (var i = items.Length - 1; i >= 0; i--) items[i] = Pop();
                        Push(new Value.Tuple(items));
                        break;
                    case (byte)'a': // APPEND
                        var item = Pop();
                        (Peek() as Value.List)?.Items.Add(item);
                        break;
                    case (byte)'e': // APPENDS
                        var appended = PopMark();
                        (Peek() as Value.List)?.Items.AddRange(appended);
                        break;
                    case (byte)'s': // SETITEM
                        Pop(2);
                        Peek();
                        break;
                    case (byte)'u':
                    case 0x90: // SETITEMS, ADDITEMS
                        PopMark();
                        Peek();
                        break;

                    case (byte)'g': Push(Recall(MemoIndex(Line()))); break; // GET
                    case (byte)'h': Push(Recall(Byte())); break; // BINGET
                    case (byte)'j': Push(Recall(Length(4))); break; // LONG_BINGET
                    case (byte)'p': memo[MemoIndex(Line())] = Peek(); break; // PUT
                    case (byte)'q': memo[Byte()] = Peek(); break; // BINPUT
                    case (byte)'r': memo[Length(4)] = Peek(); break; // LONG_BINPUT
                    case 0x94: memo[memo.Count] = Peek(); break; // MEMOIZE

                    case (byte)'c': // GLOBAL module\nname\n
                        Push(Require(Line(), Line()));
                        break;
                    case 0x93: // STACK_GLOBAL: module and name are the two strings below
                        var name = Pop();
                        var module = Pop();
                        if (module is not Value.Text { Content: var moduleText } || name is not Value.Text { Content: var nameText })
                            throw Malformed("STACK_GLOBAL names a global with something other than two strings");
                        Push(Require(moduleText, nameText));
                        break;
                    case (byte)'i': // INST module\nname\n, arguments since the mark
                        var instantiated = Require(Line(), Line());
                        Call(instantiated, PopMark());
                        Push(null);
                        break;

                    // Calls: only globals that passed Require can be on the stack to call. The unpickler calls the same
                    // constructor for each of them, with the tuple of arguments (the items since the mark for OBJ and INST).
                    case (byte)'R': // REDUCE
                        var arguments = Pop();
                        Call(Pop(), arguments);
                        Push(null);
                        break;
                    case (byte)'b': // BUILD
                        Pop(1);
                        Replace();
                        break;
                    case 0x81: // NEWOBJ
                        var newArguments = Pop();
                        Call(Pop(), newArguments);
                        Push(null);
                        break;
                    case 0x92: // NEWOBJ_EX
                        Pop(1);
                        var exArguments = Pop();
                        Call(Pop(), exArguments);
                        Push(null);
                        break;
                    case (byte)'o': // OBJ
                        var objectItems = PopMark();
                        if (objectItems.Count == 0) throw Malformed("OBJ without a class");
                        Call(objectItems[0], objectItems.Skip(1).ToArray());
                        Push(null);
                        break;

                    case (byte)'P': // PERSID: a persistent id as text, which no storage is
                        SkipLine();
                        Push(null);
                        break;
                    case (byte)'Q': // BINPERSID: torch.save's storages
                        Push(new Value.Storage(Declare(Pop())));
                        break;

                    case 0x82:
                    case 0x83:
                    case 0x84: // EXT1, EXT2, EXT4
                        throw Refused("EXT (the extension registry names a global that cannot be checked here)");
                    case 0x97:
                    case 0x98: // NEXT_BUFFER, READONLY_BUFFER
                        throw Refused("out-of-band buffers (torch.save never writes them)");
                    default:
                        throw Malformed($"unknown opcode 0x{opcode:x2}");
                }
            }
        }

        Value.Global Require(string module, string name)
        {
            var global = $"{module}.{name}";
            if (AllowedGlobals.Contains(global)) return new Value.Global(global);
            throw new InvalidDataException(
                $"model file {source}: refused to unpickle '{global}': a state dict may hold only tensors and plain containers " +
                $"(allowed: {string.Join(", ", AllowedGlobals)})");
        }

        /// <summary>A persistent id the loader reads as a storage, whose key and element count are bounded later by what the file stores.</summary>
        StorageDeclaration Declare(Value? id)
        {
            // torch.save's zip format writes five items; its legacy format adds a sixth, None (no view of another storage).
            if (id is not Value.Tuple { Items: var items } || items.Count is not (5 or 6)
                || items[0] is not Value.Text { Content: "storage" }
                || items[1] is not Value.Global { Name: var type } || !StorageElementBytes.ContainsKey(type)
                || items[2] is not Value.Text { Content: var key }
                || items[4] is not Value.Integer { Number: >= 0 and var elements }
                || (items.Count == 6 && items[5] is not Value.None))
                throw Refused("a persistent id other than ('storage', storage type, key, location, element count), all torch.save writes");
            if (key.Length > LongestKey)
                throw Refused($"a storage key longer than {LongestKey} characters (torch.save names storages by numbers)");
            var declared = new StorageDeclaration(key, type, elements);
            Storages.Add(declared);
            return declared;
        }

        void Call(Value? callable, Value? arguments) => Call(callable, (arguments as Value.Tuple)?.Items);

        /// <summary>
        /// A tensor made of a storage must lie inside it, as <c>torch._utils._rebuild_tensor_v2(storage, storage_offset,
        /// size, stride, ...)</c> makes it: its last element, <c>storage_offset + Σ (size − 1) × stride</c>, is one the
        /// storage declares. And as TorchSharp.PyBridge reads it into <c>torch.empty(size)</c>, it holds no more
        /// elements than the storage, which a view that repeats elements (a stride of 0) would.
        /// </summary>
        void Call(Value? callable, IReadOnlyList<Value?>? arguments)
        {
            if (callable is not Value.Global { Name: var name } || !TensorRebuilders.Contains(name)) return;
            if (arguments is not [Value.Storage { Declared: var storage }, Value.Integer { Number: var storageOffset }, Value.Tuple size, Value.Tuple stride, ..]
                || Integers(size) is not { } sizes || Integers(stride) is not { } strides || sizes.Length != strides.Length)
                throw Bound("a tensor whose storage, offset, size and stride are not a storage, an integer and two tuples of as many integers");
            var view = $"a tensor of size [{string.Join(", ", sizes)}], stride [{string.Join(", ", strides)}] and offset {storageOffset}";
            if (storageOffset < 0 || sizes.Any(s => s < 0) || strides.Any(s => s < 0)) throw Bound($"{view} has a negative size, stride or offset");
            var elements = sizes.Aggregate(BigInteger.One, (product, s) => product * s);
            if (elements.IsZero) return;
            var last = storageOffset + sizes.Zip(strides, (s, t) => (BigInteger)(s - 1) * t).Aggregate(BigInteger.Zero, (sum, term) => sum + term);
            if (last >= storage.Elements)
                throw Bound($"{view} reaches element {last} of its storage, which declares {storage.Elements} elements");
            if (elements > storage.Elements)
                throw Bound($"{view} holds {elements} elements, more than the {storage.Elements} its storage declares, and the loader allocates them all");
        }

        static long[]? Integers(Value.Tuple tuple) =>
            tuple.Items.All(i => i is Value.Integer) ? tuple.Items.Select(i => ((Value.Integer)i!).Number).ToArray() : null;

        Exception Refused(string what) =>
            new InvalidDataException($"model file {source}: refused pickle opcode 0x{opcode:x2} at byte {opcodeOffset}: {what}");

        Exception Bound(string what) =>
            new InvalidDataException($"model file {source}: {what} (at byte {opcodeOffset} of the pickle)");

        Exception Malformed(string problem) =>
            new InvalidDataException($"model file {source} is not a valid pickle: {problem} at byte {opcodeOffset}");

        void Push(Value? value) => stack.Add(value);

        Value? Peek() => stack.Count > 0 ? stack[^1] : throw Malformed("stack underflow");

        Value? Pop()
        {
            var top = Peek();
            stack.RemoveAt(stack.Count - 1);
            return top;
        }

        void Pop(int count)
        {
            for (var i = 0; i < count; i++) Pop();
        }

        /// <summary>The object on top becomes one this walk does not follow (a built object).</summary>
        void Replace()
        {
            Pop();
            Push(null);
        }

        List<Value?> PopMark()
        {
            if (marks.Count == 0) throw Malformed("no MARK to pop to");
            var items = stack;
            stack = marks.Pop();
            return items;
        }

        Value? Recall(long index) => memo.TryGetValue(index, out var value) ? value : throw Malformed($"memo {index} was never stored");

        byte Byte()
        {
            var value = input.ReadByte();
            if (value < 0) throw Malformed("the pickle ends before STOP");
            offset++;
            return (byte)value;
        }

        /// <summary>A little-endian unsigned integer of <paramref name="size"/> bytes, up to 8.</summary>
        ulong Unsigned(int size)
        {
            ulong value = 0;
            for (var i = 0; i < size; i++) value |= (ulong)Byte() << (8 * i);
            return value;
        }

        /// <summary>A little-endian length or index of <paramref name="size"/> bytes.</summary>
        long Length(int size)
        {
            var value = Unsigned(size);
            return value > int.MaxValue ? throw Malformed($"a length or index of {value}, beyond what a state dict holds") : (long)value;
        }

        /// <summary>A little-endian two's-complement integer of <paramref name="size"/> bytes (LONG1, LONG4); not followed beyond 8 bytes.</summary>
        Value.Integer? Signed(long size)
        {
            if (size > 8)
            {
                Skip(size);
                return null;
            }
            if (size == 0) return new Value.Integer(0);
            var value = Unsigned((int)size);
            var unused = 64 - 8 * (int)size;
            return new Value.Integer((long)(value << unused) >> unused);
        }

        void Skip(long count)
        {
            if (count < 0) throw Malformed("a negative length");
            Span<byte> buffer = stackalloc byte[4096];
            while (count > 0)
            {
                var read = input.Read(buffer[..(int)Math.Min(buffer.Length, count)]);
                if (read == 0) throw Malformed("the pickle ends inside an argument");
                offset += read;
                count -= read;
            }
        }

        /// <summary>A string argument; only its first <see cref="LongestName"/> bytes are kept, which no allowed name exceeds.</summary>
        string Text(long length, Encoding encoding)
        {
            if (length < 0) throw Malformed("a negative length");
            var kept = new byte[Math.Min(length, LongestName)];
            for (var i = 0; i < kept.Length; i++) kept[i] = Byte();
            Skip(length - kept.Length);
            return encoding.GetString(kept) + (length > kept.Length ? "…" : "");
        }

        static Value.Text? Unescaped(string text) => text.Contains('\\', StringComparison.Ordinal) ? null : new Value.Text(text);

        /// <summary>A newline-terminated argument of the text opcodes.</summary>
        string Line()
        {
            var bytes = new List<byte>();
            for (var b = Byte(); b != (byte)'\n'; b = Byte())
            {
                if (bytes.Count == LongestName) throw Malformed($"a text argument longer than {LongestName} bytes");
                bytes.Add(b);
            }
            return Encoding.UTF8.GetString(bytes.ToArray()).TrimEnd('\r');
        }

        /// <summary>A newline-terminated number, or null where it is longer than any integer followed here.</summary>
        string? ShortLine()
        {
            var bytes = new List<byte>();
            for (var b = Byte(); b != (byte)'\n'; b = Byte())
            {
                if (bytes.Count < LongestName) bytes.Add(b);
                else
                {
                    SkipLine();
                    return null;
                }
            }
            return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
        }

        void SkipLine()
        {
            while (Byte() != (byte)'\n') { }
        }

        static Value.Integer? Number(string text) =>
            long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? new Value.Integer(value) : null;

        long MemoIndex(string text) =>
            long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value : throw Malformed($"'{text}' is not a memo index");
    }
}

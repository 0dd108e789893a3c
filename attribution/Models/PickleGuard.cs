using System.IO.Compression;
using System.Text;

namespace Saliency.Attribution.Models;

/// <summary>
/// Checks a pickled PyTorch state dict before anything unpickles it. Unpickling calls whatever a pickle
/// names with GLOBAL, STACK_GLOBAL or INST, so a model file from elsewhere could run any code; a state
/// dict needs only tensors and plain containers. The opcodes are walked without running any: the stack
/// and the memo are followed only as far as knowing which strings name a global takes, every global
/// outside <see cref="AllowedGlobals"/> is refused, and so is every opcode that could reach a global
/// unseen (the extension registry, out-of-band buffers) or that no pickle protocol defines.
/// Opcodes and their arguments follow CPython's <c>Lib/pickletools.py</c> (protocols 0 to 5).
/// </summary>
public static class PickleGuard
{
    /// <summary>
    /// What <c>torch.save(model.state_dict())</c> names, and what TorchSharp.PyBridge rebuilds: the dict, tensors
    /// and their storages. <c>_rebuild_parameter</c> is let through so the loader can say that a whole model was
    /// saved instead of its state dict. Tensor subclasses (<c>torch._tensor._rebuild_from_type_v2</c>), devices and
    /// sets are refused: a state dict of plain tensors never holds them, and the loader could not use them.
    /// </summary>
    public static IReadOnlySet<string> AllowedGlobals { get; } = new SortedSet<string>(StringComparer.Ordinal)
    {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "torch.DoubleStorage", "torch.FloatStorage", "torch.HalfStorage", "torch.BFloat16Storage",
        "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage", "torch.ByteStorage",
        "torch.BoolStorage", "torch.ComplexDoubleStorage", "torch.ComplexFloatStorage",
    };

    /// <summary>Pickles the legacy (pre-zip) <c>torch.save</c> format writes before its raw storage bytes.</summary>
    const int LegacyPickles = 5;

    /// <summary>
    /// Checks every pickle of a <c>torch.save</c> file: each <c>.pkl</c> entry of a zip archive, or the leading
    /// pickles of the legacy format (or of a bare pickle).
    /// </summary>
    /// <exception cref="InvalidDataException">The file names a refused global or opcode, or is not a pickle at all.</exception>
    public static void RequireStateDict(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> signature = stackalloc byte[4];
        var isZip = file.ReadAtLeast(signature, 4, throwOnEndOfStream: false) == 4 && signature.SequenceEqual("PK\x03\x04"u8);
        file.Position = 0;
        if (isZip)
        {
            using var archive = OpenZip(file, path);
            var pickles = archive.Entries.Where(e => e.FullName.EndsWith(".pkl", StringComparison.Ordinal)).ToArray();
            if (pickles.Length == 0) throw new InvalidDataException($"model file {path}: the archive holds no data.pkl");
            foreach (var entry in pickles)
            {
                using var stream = entry.Open();
                Walk(stream, $"{path} ({entry.FullName})");
            }
            return;
        }
        for (var i = 0; i < LegacyPickles && file.Position < file.Length; i++) Walk(file, path);
    }

    /// <summary>Walks one pickle, up to and including its STOP, leaving <paramref name="pickle"/> just after it.</summary>
    /// <param name="source">How errors name the pickle: the model file, and the archive entry.</param>
    public static void Walk(Stream pickle, string source) => new Walker(pickle, source).Run();

    static ZipArchive OpenZip(Stream file, string path)
    {
        try { return new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true); }
        catch (InvalidDataException e) { throw new InvalidDataException($"model file {path} is not a valid zip archive: {e.Message}", e); }
    }

    /// <summary>A stack slot: the text of a string pushed, or null for anything else.</summary>
    readonly record struct Slot(string? Text);

    sealed class Walker(Stream input, string source)
    {
        const int LongestName = 1024;
        readonly List<Slot> stackRoot = new();
        readonly Stack<List<Slot>> marks = new();
        readonly Dictionary<long, Slot> memo = new();
        List<Slot> stack = null!;
        long offset;
        long opcodeOffset;
        byte opcode;

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
                        stack = new List<Slot>();
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

                    case (byte)'N':
                    case 0x88:
                    case 0x89: // NONE, NEWTRUE, NEWFALSE
                        Push(default);
                        break;
                    case (byte)'I':
                    case (byte)'L':
                    case (byte)'F': // INT, LONG, FLOAT as text
                        SkipLine();
                        Push(default);
                        break;
                    case (byte)'K': Skip(1); Push(default); break; // BININT1
                    case (byte)'M': Skip(2); Push(default); break; // BININT2
                    case (byte)'J': Skip(4); Push(default); break; // BININT
                    case (byte)'G': Skip(8); Push(default); break; // BINFLOAT
                    case 0x8a: Skip(Byte()); Push(default); break; // LONG1
                    case 0x8b: Skip(Length(4)); Push(default); break; // LONG4

                    case (byte)'S': // STRING: a quoted Python literal
                        Push(new Slot(Line().Trim('\'', '"')));
                        break;
                    case (byte)'V': // UNICODE: raw-unicode-escape text
                        Push(new Slot(Line()));
                        break;
                    case (byte)'U': Push(new Slot(Text(Byte(), Encoding.Latin1))); break; // SHORT_BINSTRING
                    case (byte)'T': Push(new Slot(Text(Length(4), Encoding.Latin1))); break; // BINSTRING
                    case 0x8c: Push(new Slot(Text(Byte(), Encoding.UTF8))); break; // SHORT_BINUNICODE
                    case (byte)'X': Push(new Slot(Text(Length(4), Encoding.UTF8))); break; // BINUNICODE
                    case 0x8d: Push(new Slot(Text(Length(8), Encoding.UTF8))); break; // BINUNICODE8
                    case (byte)'C': Skip(Byte()); Push(default); break; // SHORT_BINBYTES
                    case (byte)'B': Skip(Length(4)); Push(default); break; // BINBYTES
                    case 0x8e: case 0x96: Skip(Length(8)); Push(default); break; // BINBYTES8, BYTEARRAY8

                    case (byte)'}':
                    case (byte)']':
                    case (byte)')':
                    case 0x8f: // EMPTY_DICT, EMPTY_LIST, EMPTY_TUPLE, EMPTY_SET
                        Push(default);
                        break;
                    case (byte)'t':
                    case (byte)'l':
                    case (byte)'d':
                    case 0x91: // TUPLE, LIST, DICT, FROZENSET
                        PopMark();
                        Push(default);
                        break;
                    case 0x85:
                    case 0x86:
                    case 0x87: // TUPLE1, TUPLE2, TUPLE3
                        Pop(opcode - 0x84);
                        Push(default);
                        break;
                    case (byte)'a': // APPEND
                        Pop(1);
                        Peek();
                        break;
                    case (byte)'s': // SETITEM
                        Pop(2);
                        Peek();
                        break;
                    case (byte)'e':
                    case (byte)'u':
                    case 0x90: // APPENDS, SETITEMS, ADDITEMS
                        PopMark();
                        Peek();
                        break;

                    case (byte)'g': Push(Recall(Number(Line()))); break; // GET
                    case (byte)'h': Push(Recall(Byte())); break; // BINGET
                    case (byte)'j': Push(Recall(Length(4))); break; // LONG_BINGET
                    case (byte)'p': memo[Number(Line())] = Peek(); break; // PUT
                    case (byte)'q': memo[Byte()] = Peek(); break; // BINPUT
                    case (byte)'r': memo[Length(4)] = Peek(); break; // LONG_BINPUT
                    case 0x94: memo[memo.Count] = Peek(); break; // MEMOIZE

                    case (byte)'c': // GLOBAL module\nname\n
                        Require(Line(), Line());
                        Push(default);
                        break;
                    case 0x93: // STACK_GLOBAL: module and name are the two strings below
                        var name = Pop();
                        var module = Pop();
                        if (module.Text is null || name.Text is null)
                            throw Malformed("STACK_GLOBAL names a global with something other than two strings");
                        Require(module.Text, name.Text);
                        Push(default);
                        break;
                    case (byte)'i': // INST module\nname\n, arguments since the mark
                        Require(Line(), Line());
                        PopMark();
                        Push(default);
                        break;

                    // Calls: only globals that passed Require can be on the stack to call.
                    case (byte)'R': // REDUCE
                        Pop(1);
                        Replace();
                        break;
                    case (byte)'b': // BUILD
                        Pop(1);
                        Replace();
                        break;
                    case 0x81: // NEWOBJ
                        Pop(2);
                        Push(default);
                        break;
                    case 0x92: // NEWOBJ_EX
                        Pop(3);
                        Push(default);
                        break;
                    case (byte)'o': // OBJ
                        if (PopMark().Count == 0) throw Malformed("OBJ without a class");
                        Push(default);
                        break;

                    case (byte)'P': // PERSID: torch.save's storages
                        SkipLine();
                        Push(default);
                        break;
                    case (byte)'Q': // BINPERSID
                        Pop(1);
                        Push(default);
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

        void Require(string module, string name)
        {
            var global = $"{module}.{name}";
            if (AllowedGlobals.Contains(global)) return;
            throw new InvalidDataException(
                $"model file {source}: refused to unpickle '{global}': a state dict may hold only tensors and plain containers " +
                $"(allowed: {string.Join(", ", AllowedGlobals)})");
        }

        Exception Refused(string what) =>
            new InvalidDataException($"model file {source}: refused pickle opcode 0x{opcode:x2} at byte {opcodeOffset}: {what}");

        Exception Malformed(string problem) =>
            new InvalidDataException($"model file {source} is not a valid pickle: {problem} at byte {opcodeOffset}");

        void Push(Slot slot) => stack.Add(slot);

        Slot Peek() => stack.Count > 0 ? stack[^1] : throw Malformed("stack underflow");

        Slot Pop()
        {
            var top = Peek();
            stack.RemoveAt(stack.Count - 1);
            return top;
        }

        void Pop(int count)
        {
            for (var i = 0; i < count; i++) Pop();
        }

        /// <summary>The object on top becomes one this walk does not follow (a call's result, a built object).</summary>
        void Replace()
        {
            Pop();
            Push(default);
        }

        List<Slot> PopMark()
        {
            if (marks.Count == 0) throw Malformed("no MARK to pop to");
            var items = stack;
            stack = marks.Pop();
            return items;
        }

        Slot Recall(long index) => memo.TryGetValue(index, out var slot) ? slot : throw Malformed($"memo {index} was never stored");

        byte Byte()
        {
            var value = input.ReadByte();
            if (value < 0) throw Malformed("the pickle ends before STOP");
            offset++;
            return (byte)value;
        }

        /// <summary>A little-endian length or index of <paramref name="size"/> bytes.</summary>
        long Length(int size)
        {
            ulong value = 0;
            for (var i = 0; i < size; i++) value |= (ulong)Byte() << (8 * i);
            return value > int.MaxValue ? throw Malformed($"a length or index of {value}, beyond what a state dict holds") : (long)value;
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

        void SkipLine()
        {
            while (Byte() != (byte)'\n') { }
        }

        long Number(string text) =>
            long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? value : throw Malformed($"'{text}' is not a memo index");
    }
}

using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// Sets VER_FLG_WEAK on the GLIBCXX_3.4.32 requirement of every libLibTorchSharp.so under the
// given directories, when the system libstdc++ does not define that version.
// Compiled by MSBuild's RoslynCodeTaskFactory (netstandard, no nullable context).
public class MarkGlibcxxRequirementWeak : Task
{
    const string LibraryName = "libLibTorchSharp.so";
    const string RequiredVersion = "GLIBCXX_3.4.32";
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    static readonly string[] LibstdcxxLocations =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
    };

    [Required]
    public string[] Directories { get; set; } = Array.Empty<string>();

    public override bool Execute()
    {
        var systemLibrary = LibstdcxxLocations.FirstOrDefault(File.Exists);
        if (systemLibrary != null && Contains(File.ReadAllBytes(systemLibrary), Encoding.ASCII.GetBytes(RequiredVersion + "\0")))
            return true;

        foreach (var directory in Directories.Where(d => !string.IsNullOrWhiteSpace(d) && Directory.Exists(d)))
        foreach (var library in Directory.EnumerateFiles(directory, LibraryName, SearchOption.AllDirectories))
        {
            var result = MarkWeak(library);
            if (result != null)
                Log.LogMessage(MessageImportance.Normal, $"{library}: {result}");
        }
        return !Log.HasLoggedErrors;
    }

    string MarkWeak(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
        {
            Log.LogWarning($"{path}: not a little-endian ELF64 file; left unchanged");
            return null;
        }
        var sectionTable = (long)BitConverter.ToUInt64(elf, 0x28);
        int entrySize = BitConverter.ToUInt16(elf, 0x3A), count = BitConverter.ToUInt16(elf, 0x3C);

        for (var i = 0; i < count; i++)
        {
            var header = sectionTable + (long)i * entrySize;
            if (BitConverter.ToUInt32(elf, (int)header + 4) != ShtGnuVerneed) continue;

            var offset = (long)BitConverter.ToUInt64(elf, (int)header + 0x18);
            var stringsHeader = sectionTable + (long)BitConverter.ToUInt32(elf, (int)header + 0x28) * entrySize;
            var strings = (long)BitConverter.ToUInt64(elf, (int)stringsHeader + 0x18);
            var needCount = BitConverter.ToUInt32(elf, (int)header + 0x2C);

            var need = offset;
            for (var n = 0; n < needCount; n++)
            {
                var auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                var aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    var name = ReadString(elf, strings + BitConverter.ToUInt32(elf, (int)aux + 8));
                    if (name == RequiredVersion)
                    {
                        var flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if ((flags & VerFlgWeak) != 0) return null;
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, (int)aux + 4);
                        File.WriteAllBytes(path, elf);
                        return $"marked {RequiredVersion} weak";
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }
        return null;
    }

    static string ReadString(byte[] bytes, long start)
    {
        var end = start;
        while (bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, (int)start, (int)(end - start));
    }

    static bool Contains(byte[] haystack, byte[] needle)
    {
        for (var start = 0; start <= haystack.Length - needle.Length; start++)
        {
            var matched = 0;
            while (matched < needle.Length && haystack[start + matched] == needle[matched]) matched++;
            if (matched == needle.Length) return true;
        }
        return false;
    }
}

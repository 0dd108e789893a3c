using System.Globalization;
using System.Runtime.InteropServices;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Tests;

[Collection(NativeHeapCollection.Name)]
public class NativeHeapTuningTests
{
    // A pass well inside one 64 MiB heap of a thread's arena: a heap beyond the first is unmapped
    // whenever it is wholly free, whatever the thresholds say.
    const int BlockBytes = 2 << 20, BlocksPerPass = 8, Passes = 10, PageBytes = 4096;

    [Fact]
    public void Blocks_freed_after_a_pass_are_reused_by_the_next_instead_of_faulted_in_again()
    {
        Assert.True(NativeHeapTuning.Apply(), "the thresholds should be in force on glibc with no MALLOC_ variables set");
        var onePass = BlocksPerPass * BlockBytes / PageBytes;

        // Like a forward and backward pass whose tensors are all disposed at the end of its scope. A new thread may be given
        // an arena that threads gone before left crowded, so that a pass spills into a second heap, which glibc unmaps when
        // free whatever the thresholds: the fewest faults of three threads is the figure. With glibc's own thresholds every
        // thread faults on every pass, so the test still fails without the tuning.
        var faults = Enumerable.Range(0, 3).Min(_ => OnOneThread(() =>
        {
            AllocateTouchAndFreeAll();
            var before = MinorFaultsOfThisThread();
            for (var pass = 0; pass < Passes; pass++) AllocateTouchAndFreeAll();
            return MinorFaultsOfThisThread() - before;
        }));

        // With glibc's own thresholds the blocks are handed back and faulted in again on every pass.
        Assert.True(faults < onePass, $"{faults} page faults over {Passes} passes after the first; one pass touches {onePass} pages");
    }

    /// <summary><see cref="Marshal.AllocHGlobal(int)"/> is libc's malloc on Linux, as libtorch's tensor allocations are.</summary>
    static void AllocateTouchAndFreeAll()
    {
        var blocks = new nint[BlocksPerPass];
        for (var b = 0; b < blocks.Length; b++)
        {
            blocks[b] = Marshal.AllocHGlobal(BlockBytes);
            for (var offset = 0; offset < BlockBytes; offset += PageBytes) Marshal.WriteByte(blocks[b], offset, 1);
        }
        foreach (var block in blocks) Marshal.FreeHGlobal(block);
    }

    /// <summary>Page faults are counted per thread, so other tests running meanwhile do not count.</summary>
    static long OnOneThread(Func<long> measure)
    {
        long result = 0;
        var thread = new Thread(() => result = measure());
        thread.Start();
        thread.Join();
        return result;
    }

    /// <summary>Field 10 of /proc/thread-self/stat (the fields after the parenthesised command name start at field 3).</summary>
    static long MinorFaultsOfThisThread() =>
        long.Parse(File.ReadAllText("/proc/thread-self/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[7], CultureInfo.InvariantCulture);
}

namespace Saliency.Attribution.Tests;

/// <summary>
/// Tests that measure libc's heap, which the whole process shares: they run while no other test
/// allocates, so another thread's blocks neither count nor crowd the arena being measured.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeHeapCollection
{
    public const string Name = "native heap";
}

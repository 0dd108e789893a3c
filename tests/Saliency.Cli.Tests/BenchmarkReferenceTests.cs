using System.Reflection;
using Saliency.Cli.Benchmarks.Commands;
using Saliency.Cli.ModelOptions;
using Spectre.Console.Cli;

namespace Saliency.Cli.Tests;

/// <summary>
/// The benchmarks and their commands are a library of their own, <c>Saliency.Cli.Benchmarks</c>, which the saliency
/// program registers under <c>bench</c>: the program holds none of them, and they never reach back into the program.
/// What both read, the model options, is a library beneath the two.
/// </summary>
[Trait("Lane", "Unit")]
public sealed class BenchmarkReferenceTests
{
    const string BenchmarksNamespace = "Saliency.Cli.Benchmarks";
    static readonly Assembly Program = typeof(SaliencyApp).Assembly;
    static readonly Assembly Benchmarks = typeof(BenchBranch).Assembly;
    static readonly Assembly ModelOptions = typeof(ModelSettings).Assembly;
    static readonly string ProgramName = Program.GetName().Name!;

    [Fact]
    public void Every_bench_command_lives_in_the_benchmarks_library()
    {
        var commands = Commands(Benchmarks).ToList();

        Assert.Equal(BenchmarksNamespace, Benchmarks.GetName().Name);
        Assert.Contains(typeof(BenchIgCommand), commands);
        Assert.All(commands, command =>
        {
            Assert.Equal(BenchmarksNamespace + ".Commands", command.Namespace);
            Assert.Matches("^Bench[A-Za-z]*Command$", command.Name);
        });
    }

    [Fact]
    public void The_program_holds_no_bench_command_and_no_type_of_the_benchmarks_namespace()
    {
        var benchCommands = Commands(Program).Where(t => t.Name.StartsWith("Bench", StringComparison.Ordinal));
        var benchTypes = Program.GetTypes().Where(t => InNamespace(t, BenchmarksNamespace));

        Assert.Empty(benchCommands);
        Assert.Empty(benchTypes);
    }

    [Fact]
    public void The_benchmarks_and_what_they_reference_never_reference_the_program()
    {
        var referenced = ReferencedSaliencyAssemblies(Benchmarks);

        Assert.DoesNotContain(ProgramName, referenced);
        Assert.Contains(ModelOptions.GetName().Name!, referenced);
    }

    [Fact]
    public void The_model_options_reference_neither_the_program_nor_the_benchmarks_nor_the_grains()
    {
        var referenced = ReferencedSaliencyAssemblies(ModelOptions);

        Assert.DoesNotContain(ProgramName, referenced);
        Assert.DoesNotContain(BenchmarksNamespace, referenced);
        Assert.DoesNotContain("Saliency.Grains", referenced);
        Assert.Contains("Saliency.Attribution", referenced);
    }

    static IEnumerable<Type> Commands(Assembly assembly) =>
        assembly.GetTypes().Where(t => !t.IsAbstract && typeof(ICommand).IsAssignableFrom(t));

    static bool InNamespace(Type type, string name) =>
        type.Namespace is { } ns && (ns == name || ns.StartsWith(name + ".", StringComparison.Ordinal));

    /// <summary>The names of the Saliency assemblies reachable through references from <paramref name="root"/>.</summary>
    static HashSet<string> ReferencedSaliencyAssemblies(Assembly root)
    {
        var seen = new HashSet<string>();
        var pending = new Queue<Assembly>([root]);
        while (pending.TryDequeue(out var assembly))
            foreach (var name in assembly.GetReferencedAssemblies().Where(n => n.Name!.StartsWith("Saliency", StringComparison.Ordinal)
                         || n.Name == ProgramName))
                if (seen.Add(name.Name!)) pending.Enqueue(Assembly.Load(name));
        return seen;
    }
}

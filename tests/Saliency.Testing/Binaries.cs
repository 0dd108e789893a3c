namespace Saliency.Testing;

/// <summary>The built programs the end-to-end tests launch, found beside this test assembly's build configuration.</summary>
public static class Binaries
{
    /// <summary>The folder that holds Cluster.sln, walking up from this test assembly.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The output folder below a project (<c>bin/Release/net10.0/linux-x64</c>), the same as the running test assembly's.</summary>
    static string OutputBelowProject
    {
        get
        {
            // tests/PROJECT/bin/...: what follows the test project's own folder.
            var belowTests = Path.GetRelativePath(Path.Combine(RepositoryRoot, "tests"), AppContext.BaseDirectory);
            return belowTests[(belowTests.IndexOf(Path.DirectorySeparatorChar, StringComparison.Ordinal) + 1)..];
        }
    }

    public static string Cli => Path.Combine(RepositoryRoot, "client", OutputBelowProject, "saliency");

    public static string SiloHost => Path.Combine(RepositoryRoot, "silo", OutputBelowProject, "saliency-silo");

    static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Cluster.sln"))) return folder.FullName;
        throw new DirectoryNotFoundException($"no folder above {AppContext.BaseDirectory} holds Cluster.sln");
    }
}

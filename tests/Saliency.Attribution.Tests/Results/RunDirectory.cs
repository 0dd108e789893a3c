namespace Saliency.Attribution.Tests.Results;

/// <summary>A fresh run directory under the temporary folder, removed when the test ends.</summary>
sealed class RunDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("saliency-results-").FullName;

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

namespace Saliency.Grains.Contracts;

/// <summary>
/// Why a sweep request was refused or failed, as it reaches a client: a spec error naming its field,
/// missing data, a duplicate name. The message is what a user reads.
/// </summary>
[GenerateSerializer, Alias("Saliency.SweepException")]
public sealed class SweepException : Exception
{
    public SweepException(string message) : base(message) { }
}

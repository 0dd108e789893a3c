using Saliency.Grains.Contracts;

namespace Saliency.Grains.Hosting;

/// <summary>
/// Gives callers of Saliency's grains one exception type they can always deserialise, carrying the
/// original message: the attribution library's own exception types are not known to Orleans' serializer.
/// </summary>
internal sealed class SweepErrorFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception error) when (error is not SweepException && context.Grain?.GetType().Namespace?.StartsWith("Saliency.", StringComparison.Ordinal) == true)
        {
            throw new SweepException(error.Message);
        }
    }
}

namespace Saliency.Grains.Sweeps;

/// <summary>
/// What the directory makes of a coordinator's start that failed. Its listing goes only when the coordinator answers
/// that it kept no state and is not admitting the sweep now: a start whose call timed out (an admission that counts
/// many images, a slow store) goes on without its caller and keeps its state, and dropping its listing would leave a
/// running sweep unlisted, never resumed. A coordinator that cannot be asked leaves the listing too: the orphan check
/// (<see cref="Saliency.Grains.Contracts.ISweepDirectoryGrain.FailOrphans"/>) marks it failed later if no state ever comes.
/// </summary>
internal static class FailedStart
{
    /// <returns>True when the listing stays: the coordinator kept its state, is still admitting, or did not answer.</returns>
    public static async Task<bool> KeepsListing(Func<Task<bool>> coordinatorExists)
    {
        try
        {
            return await coordinatorExists();
        }
        catch (Exception)
        {
            return true;
        }
    }

    /// <summary>The error a submitter sees when the start's call timed out and the sweep goes on.</summary>
    public static TimeoutException StillStarting(string sweepId, TimeoutException timeout) => new(
        $"sweep {sweepId} is still starting: its admission outlived the call; it stays listed as running and starts once " +
        $"admitted, or is listed as failed if admission fails (saliency status {sweepId})", timeout);
}

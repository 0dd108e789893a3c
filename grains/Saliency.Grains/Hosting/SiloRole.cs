namespace Saliency.Grains.Hosting;

/// <summary>What a silo hosts: coordinators (sweeps, the registry and directory), workers (attribution), or both.</summary>
public enum SiloRole { All, Coordinator, Worker }

public static class SiloRoles
{
    public static SiloRole Parse(string text) => text.ToLowerInvariant() switch
    {
        "all" => SiloRole.All,
        "coordinator" => SiloRole.Coordinator,
        "worker" => SiloRole.Worker,
        _ => throw new ArgumentException($"silo role '{text}' is not all, coordinator or worker"),
    };

    public static bool HostsCoordinators(this SiloRole role) => role is SiloRole.All or SiloRole.Coordinator;

    public static bool HostsWorkers(this SiloRole role) => role is SiloRole.All or SiloRole.Worker;
}

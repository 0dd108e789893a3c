using System.Net;
using System.Net.Sockets;

namespace Saliency.Cluster.Hosting;

/// <summary>
/// Where a silo listens and how it finds the cluster (the <c>Cluster</c> configuration section).
/// Everything listens on 127.0.0.1 unless configured otherwise.
/// </summary>
public sealed class ClusterEndpoints
{
    public const string Section = "Cluster";
    public const int DefaultGatewayPort = 30000;

    /// <summary>
    /// <c>localhost</c>: silos on one machine find each other through the primary silo's port.
    /// <c>redis</c>: silos and clients on any machines find each other through a Redis server.
    /// </summary>
    public string Clustering { get; set; } = "localhost";

    /// <summary>The Redis server of <c>redis</c> clustering, as HOST:PORT or a StackExchange.Redis configuration string.</summary>
    public string Redis { get; set; } = "127.0.0.1:6379";

    /// <summary>The address other silos and clients reach this silo at; it also listens there only.</summary>
    public string Address { get; set; } = "127.0.0.1";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = DefaultGatewayPort;

    /// <summary>Silo port of the silo the others join; this silo's own port when null (it is the primary).</summary>
    public int? PrimarySiloPort { get; set; }

    public string ClusterId { get; set; } = "saliency";

    static readonly HashSet<int> HandedOut = new();

    /// <summary>
    /// Two free loopback ports, for an embedded silo that must not collide with a running one. A port
    /// is free only until a process binds it, so ports handed out earlier in this process and not yet
    /// bound (a cluster whose silos start one after another) are never handed out again: two silos on
    /// one port would split each other's connections.
    /// </summary>
    public static ClusterEndpoints OnFreePorts() => new() { SiloPort = FreePort(), GatewayPort = FreePort() };

    static int FreePort()
    {
        lock (HandedOut)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (HandedOut.Add(port)) return port;
            }
        }
    }
}

using System.Net;
using System.Security.Cryptography;
using Saliency.Cluster.Hosting;

namespace Saliency.Web;

/// <summary>
/// Where the web view listens and who may read it. On loopback it is plain HTTP and open to this machine's users, as the
/// silo's gateway is. Off loopback it is served only over HTTPS with the silo's own certificate, and every request must
/// carry the access token printed at start (a browser presents no client certificate, so the token is the credential).
/// </summary>
public sealed record WebViewOptions
{
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>0 takes a free port; <see cref="SweepWebServer.Url"/> says which.</summary>
    public int Port { get; init; }

    /// <summary>The silo's TLS settings: required off loopback, where the view serves HTTPS with its certificate.</summary>
    public ClusterTls? Tls { get; init; }

    public bool OnLoopback => IPAddress.IsLoopback(Address);

    /// <summary>The access token a request off loopback must carry; generated when not given.</summary>
    public string? Token { get; init; }

    /// <summary>The options checked, with a token drawn where one is needed.</summary>
    /// <exception cref="ArgumentException">Off loopback without a certificate, or a port out of range.</exception>
    public WebViewOptions Checked()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"web port {Port} is not a port (0-65535)");
        if (OnLoopback) return this;
        if (Tls is not { Enabled: true })
            throw new ArgumentException($"the web view listens on {Address}, off loopback, where it is served only over HTTPS with the silo's certificate: give the silo --tls-cert (docs/web.md)");
        return this with { Token = Token ?? NewToken() };
    }

    static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}

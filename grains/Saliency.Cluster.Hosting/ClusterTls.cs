using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Saliency.Cluster.Hosting;

/// <summary>
/// TLS for every cluster connection — silo to silo, client to gateway — with certificates on both ends
/// (the <c>Saliency:Tls</c> configuration section on a silo; <c>--tls-cert</c> on the command line).
/// A peer is trusted when its certificate is this node's own (one certificate shared by the cluster), is
/// issued by a CA certificate (basic constraints CA:true) that this node's PFX carries beside its own, or is named in
/// <see cref="Trusted"/>. A certificate in the PFX that is no CA grants nothing.
/// Self-signed certificates are the common case, so the system's CA store plays no part, and host names
/// are not checked: nodes reach each other by address, and the certificate itself is what is pinned.
/// </summary>
public sealed class ClusterTls
{
    public const string Section = "Saliency:Tls";

    /// <summary>A PKCS#12 (.pfx) file holding this node's certificate with its private key, and optionally the CA that issued it.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>
    /// More peers to trust: certificate files (PEM or DER; a peer's own certificate or a CA that issued
    /// peers') or certificate thumbprints (SHA-256 or SHA-1, hex).
    /// </summary>
    public List<string> Trusted { get; set; } = new();

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>This node's certificate and the peers it trusts, read from the files named.</summary>
    /// <exception cref="ArgumentException">A file is missing or unreadable, has no private key, or a trusted entry is neither a file nor a thumbprint.</exception>
    public TrustedPeers Load()
    {
        var path = CertificatePath ?? throw new ArgumentException("TLS needs a certificate: Saliency:Tls:CertificatePath or --tls-cert");
        X509Certificate2Collection bundle;
        try { bundle = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, CertificatePassword); }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"TLS certificate {path} could not be read as a PFX with its password: {e.Message}", e);
        }
        var own = bundle.FirstOrDefault(c => c.HasPrivateKey)
            ?? throw new ArgumentException($"TLS certificate {path} holds no private key: a node needs its own certificate's key");
        // Only CA certificates carried beside the node's own are authorities: any other certificate in the bundle (a chain's
        // leaf, a stray) trusted as a root would let whatever it signed, or itself, join.
        var authorities = bundle.Where(c => c != own && IsAuthority(c)).ToList();
        var pinned = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Sha256(own) };
        foreach (var entry in Trusted.Select(t => t.Trim()).Where(t => t.Length > 0))
        {
            if (File.Exists(entry))
            {
                foreach (var certificate in ReadCertificates(entry))
                {
                    pinned.Add(Sha256(certificate));
                    if (IsAuthority(certificate)) authorities.Add(certificate);
                }
            }
            else if (entry.Replace(":", "") is var hex && hex.Length is 40 or 64 && hex.All(Uri.IsHexDigit)) pinned.Add(hex);
            else throw new ArgumentException($"trusted TLS peer '{entry}' is neither a certificate file nor a SHA-256 or SHA-1 thumbprint");
        }
        return new TrustedPeers(own, pinned, authorities);
    }

    static IEnumerable<X509Certificate2> ReadCertificates(string path)
    {
        try
        {
            return path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase)
                ? X509CertificateLoader.LoadPkcs12CollectionFromFile(path, null)
                : [X509CertificateLoader.LoadCertificateFromFile(path)];
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"trusted TLS certificate {path} could not be read: {e.Message}", e);
        }
    }

    static bool IsAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);

    internal static string Sha256(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>Turns Orleans' TLS on for one node: its certificate offered, a certificate required of every peer and checked by <see cref="TrustedPeers.Accepts"/>.</summary>
    public static void Configure(TlsOptions options, TrustedPeers peers)
    {
        options.LocalCertificate = peers.Own;
        // Always offer the node's certificate, whatever CA names the other end lists.
        options.LocalClientCertificateSelector = (_, _, _, _, _) => peers.Own;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (certificate, _, _) => peers.Accepts(certificate);
    }
}

/// <summary>This node's certificate and what it trusts in a peer's.</summary>
/// <param name="pinned">Thumbprints, SHA-256 or SHA-1, of certificates trusted as they are.</param>
public sealed class TrustedPeers(X509Certificate2 own, IReadOnlySet<string> pinned, IReadOnlyList<X509Certificate2> authorities)
{
    public X509Certificate2 Own { get; } = own;

    /// <summary>
    /// The peer's certificate is pinned (this node's own, or listed), or chains to a trusted CA with no
    /// other error. The TLS library's own verdict (chain to a system root, host name) is not consulted.
    /// </summary>
    public bool Accepts(X509Certificate2 peer)
    {
        var now = DateTime.Now;
        if (now < peer.NotBefore || now > peer.NotAfter) return false;
        if (pinned.Contains(ClusterTls.Sha256(peer)) || pinned.Contains(peer.Thumbprint)) return true;
        if (authorities.Count == 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(peer);
    }
}

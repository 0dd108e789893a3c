using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Saliency.Cli.Cluster;
using Saliency.Cluster.Hosting;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;

namespace Saliency.Cluster.Tests;

/// <summary>Cluster traffic over TLS, with certificates made here: self-signed ones, and a small CA with the nodes it issued.</summary>
public sealed class TlsClusterTests : IDisposable
{
    const string Password = "test-password";
    static readonly TimeSpan Refusal = TimeSpan.FromSeconds(8);
    readonly string root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "saliency-tls-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    [Fact]
    public async Task Silos_sharing_a_certificate_run_a_sweep_for_a_client_holding_it_and_refuse_clients_without_it()
    {
        var shared = Tls(SelfSigned("saliency-cluster"), "cluster.pfx");
        var primary = ClusterEndpoints.OnFreePorts();
        var secondary = ClusterEndpoints.OnFreePorts();
        secondary.PrimarySiloPort = primary.SiloPort;
        using var coordinator = Silo(SiloRole.Coordinator, primary, shared);
        using var worker = Silo(SiloRole.Worker, secondary, shared);
        await coordinator.StartAsync();
        await worker.StartAsync();

        using (var client = ClusterConnection.BuildHost(primary.GatewayPort.ToString(CultureInfo.InvariantCulture), LogLevel.Error, tls: shared))
        {
            await client.StartAsync();
            var grains = client.Services.GetRequiredService<IClusterClient>();
            var ticket = await grains.GetGrain<ISweepDirectoryGrain>(0).Submit(new SweepSubmission(Specs.Small("over-tls"), "tls.yaml"));
            var progress = await WaitUntilFinished(grains.GetGrain<ISweepCoordinatorGrain>(ticket.SweepId));
            Assert.Equal(SweepStatus.Completed, progress.Status);
            Assert.Equal(3 * 3, progress.WorkItemsDone);
            await client.StopAsync();
        }

        await AssertRefused(primary.GatewayPort, tls: null);
        var stranger = Tls(SelfSigned("stranger"), "stranger.pfx");
        await AssertRefused(primary.GatewayPort, stranger);
        // The command a user runs, with a certificate from another authority, against this TLS cluster.
        using (var status = ChildProcess.Start("status-stranger", Binaries.Cli,
            ["status", "--cluster", primary.GatewayPort.ToString(CultureInfo.InvariantCulture), "--tls-cert", stranger.CertificatePath!, "--tls-password", Password], root))
        {
            Assert.Equal(2, await status.Exit(TimeSpan.FromSeconds(90)));
            Assert.Contains("no Saliency cluster answers", status.Tail(20));
        }

        await worker.StopAsync();
        await coordinator.StopAsync();
    }

    [Fact]
    public void A_node_trusts_its_own_certificate_and_refuses_another_self_signed_one()
    {
        var peers = Tls(SelfSigned("node"), "node.pfx").Load();
        Assert.True(peers.Accepts(peers.Own));
        Assert.False(peers.Accepts(SelfSigned("stranger")));
    }

    [Fact]
    public void A_node_trusts_certificates_issued_by_the_CA_its_file_carries_and_refuses_another_CAs()
    {
        var authority = Authority("saliency-ca");
        var node = Tls(Issued("silo-a", authority), "silo-a.pfx", authority);

        var peers = node.Load();

        Assert.True(peers.Accepts(Issued("silo-b", authority)));
        Assert.False(peers.Accepts(Issued("silo-c", Authority("other-ca"))));
    }

    [Fact]
    public void A_certificate_in_the_file_that_is_no_CA_grants_nothing()
    {
        var stray = SelfSigned("stray");
        var node = Tls(SelfSigned("node"), "node-with-stray.pfx", stray);

        var peers = node.Load();

        Assert.False(peers.Accepts(stray));
        Assert.True(peers.Accepts(peers.Own));
    }

    [Fact]
    public void A_peer_named_by_thumbprint_or_certificate_file_is_trusted()
    {
        var stranger = SelfSigned("pinned-by-thumbprint");
        var listed = SelfSigned("pinned-by-file");
        var listedFile = Path.Combine(root, "listed.crt");
        File.WriteAllText(listedFile, listed.ExportCertificatePem());
        var node = Tls(SelfSigned("node"), "node.pfx");
        node.Trusted = [stranger.GetCertHashString(HashAlgorithmName.SHA256), listedFile];

        var peers = node.Load();

        Assert.True(peers.Accepts(stranger));
        Assert.True(peers.Accepts(listed));
        Assert.False(peers.Accepts(SelfSigned("unlisted")));
    }

    [Fact]
    public void A_wrong_password_is_named_with_the_file()
    {
        var node = Tls(SelfSigned("node"), "node.pfx");
        node.CertificatePassword = "wrong";
        var error = Assert.Throws<ArgumentException>(() => node.Load());
        Assert.Contains(node.CertificatePath!, error.Message);
    }

    [Fact]
    public void The_silo_host_takes_its_certificate_from_configuration_and_stops_at_an_unreadable_one()
    {
        var missing = Path.Combine(root, "missing.pfx");
        var error = Assert.Throws<ArgumentException>(() =>
            SaliencyHosting.BuildSilo(["--Saliency:Tls:CertificatePath", missing], endpoints: ClusterEndpoints.OnFreePorts(), logLevel: LogLevel.Error));
        Assert.Contains(missing, error.Message);
    }

    /// <summary>
    /// A client that cannot present a trusted certificate gets no answer from the gateway (the handshake is
    /// refused and Orleans keeps retrying), so connecting fails after the bounded wait the CLI allows, naming TLS.
    /// </summary>
    static async Task AssertRefused(int gatewayPort, ClusterTls? tls)
    {
        var error = await Assert.ThrowsAsync<IOException>(() => ClusterConnection.Open(gatewayPort.ToString(CultureInfo.InvariantCulture), tls, Refusal));
        Assert.Contains("--tls-cert", error.Message);
    }

    IHost Silo(SiloRole role, ClusterEndpoints endpoints, ClusterTls tls) => SaliencyHosting.BuildSilo([], options =>
    {
        options.Role = role;
        options.ArtifactRoot = Path.Combine(root, "runs");
        options.StateRoot = Path.Combine(root, "state");
        options.TorchThreads = 1;
        options.Tls = tls;
    }, endpoints, LogLevel.Error);

    static async Task<SweepProgress> WaitUntilFinished(ISweepCoordinatorGrain sweep)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        SweepProgress progress;
        while (!(progress = await sweep.GetProgress()).Finished && DateTime.UtcNow < deadline) await Task.Delay(200);
        return progress;
    }

    /// <summary>Writes <paramref name="certificate"/> (and the CAs given) to a password-protected PFX and names it in TLS settings.</summary>
    ClusterTls Tls(X509Certificate2 certificate, string file, params X509Certificate2[] authorities)
    {
        var path = Path.Combine(root, file);
        var bundle = new X509Certificate2Collection(certificate);
        foreach (var authority in authorities) bundle.Add(X509CertificateLoader.LoadCertificate(authority.RawData));
        File.WriteAllBytes(path, bundle.Export(X509ContentType.Pfx, Password)!);
        return new ClusterTls { CertificatePath = path, CertificatePassword = Password };
    }

    static CertificateRequest Request(string name, ECDsa key, bool authority)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(authority, false, 0, true));
        if (!authority)
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        return request;
    }

    static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Request(name, key, authority: false).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>A CA certificate with its key, to issue others.</summary>
    static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Request(name, key, authority: true);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(2));
    }

    static X509Certificate2 Issued(string name, X509Certificate2 authority)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = Request(name, key, authority: false)
            .Create(authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }
}

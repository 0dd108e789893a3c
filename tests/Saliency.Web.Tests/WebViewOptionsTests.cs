using System.Net;

namespace Saliency.Web.Tests;

public sealed class WebViewOptionsTests
{
    [Fact]
    public void Off_loopback_without_a_certificate_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new WebViewOptions { Address = IPAddress.Parse("10.1.2.3") }.Checked());
        Assert.Contains("HTTPS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void On_loopback_no_token_is_asked_for()
    {
        Assert.Null(new WebViewOptions().Checked().Token);
    }

    [Fact]
    public void Off_loopback_with_a_certificate_a_token_is_drawn()
    {
        var options = new WebViewOptions { Address = IPAddress.Parse("10.1.2.3"), Tls = new() { CertificatePath = "silo.pfx" } }.Checked();
        Assert.Equal(48, options.Token!.Length);
    }
}

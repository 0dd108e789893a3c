using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Saliency.Web.Api;
using Saliency.Web.Pictures;
using Saliency.Web.Sources;

namespace Saliency.Web;

/// <summary>
/// The web view: three pages (the sweeps, a sweep, an image), the JSON API they poll, and the pictures, served read-only
/// by a small ASP.NET Core host beside the silo (or alone, for <c>saliency view</c>). The pages' files and the charting
/// library are in the build output under <c>wwwroot/</c>; nothing is fetched from elsewhere.
/// </summary>
public sealed class SweepWebServer : IAsyncDisposable
{
    public const string TokenCookie = "saliency_token";

    readonly WebApplication app;

    SweepWebServer(WebApplication app, string url) => (this.app, Url) = (app, url);

    /// <summary>The address to open, with the access token where one is needed.</summary>
    public string Url { get; }

    /// <summary>Starts serving <paramref name="source"/>'s sweeps.</summary>
    /// <exception cref="ArgumentException">The options are refused (<see cref="WebViewOptions.Checked"/>).</exception>
    /// <exception cref="IOException">The port is taken.</exception>
    public static async Task<SweepWebServer> Start(ISweepSource source, WebViewOptions options, CancellationToken cancellation = default)
    {
        options = options.Checked();
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, WebRootPath = root });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Address, options.Port, listen =>
            {
                if (!options.OnLoopback) listen.UseHttps(options.Tls!.Load().Own);
            });
        });
        if (options.OnLoopback)
            // A page elsewhere that resolves its own name to 127.0.0.1 (DNS rebinding) is refused by the Host it sends.
            builder.Services.Configure<HostFilteringOptions>(filter => filter.AllowedHosts = ["localhost", "127.0.0.1", "[::1]"]);
        builder.Services.AddSingleton(source);
        builder.Services.AddSingleton(new MapPictures(new PictureCache()));
        var app = builder.Build();
        if (options.OnLoopback) app.UseHostFiltering();
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";
            headers["Referrer-Policy"] = "no-referrer";
            await next(context);
        });
        if (options.Token is { } token) app.Use(RequireToken(token));
        var files = new PhysicalFileProvider(root);
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = "/static" });
        SweepEndpoints.Map(app, files);
        await app.StartAsync(cancellation);
        var port = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a).Port).First();
        var host = options.Address.Equals(IPAddress.Any) || options.Address.Equals(IPAddress.IPv6Any) ? Dns.GetHostName()
            : options.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{options.Address}]" : options.Address.ToString();
        var url = options.OnLoopback ? $"http://{host}:{port}/" : $"https://{host}:{port}/?token={options.Token}";
        return new SweepWebServer(app, url);
    }

    /// <summary>
    /// Off loopback every request carries the token: in the query once (it is then kept in a cookie only this site's HTTPS
    /// requests send, and the address is cleaned of it), in that cookie, or as a bearer token for scripts.
    /// </summary>
    static Func<HttpContext, RequestDelegate, Task> RequireToken(string token)
    {
        var expected = Encoding.UTF8.GetBytes(token);
        bool Matches(string? given) => given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected);
        return async (context, next) =>
        {
            var request = context.Request;
            if (Matches(request.Query["token"]))
            {
                context.Response.Cookies.Append(TokenCookie, token, new CookieOptions
                { HttpOnly = true, Secure = true, SameSite = SameSiteMode.Strict, Path = "/" });
                context.Response.Redirect(request.Path.HasValue ? request.PathBase + request.Path : "/");
                return;
            }
            var bearer = request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;
            if (Matches(request.Cookies[TokenCookie]) || Matches(bearer))
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = "this view needs the access token printed when it started: open the address it printed" });
        };
    }

    public async ValueTask DisposeAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(limit.Token);
        await app.DisposeAsync();
    }
}

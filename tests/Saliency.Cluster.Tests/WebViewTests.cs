using System.Globalization;
using System.Text.Json.Nodes;
using Saliency.Cluster.Hosting;

namespace Saliency.Cluster.Tests;

/// <summary>
/// A silo process started with <c>--web</c>, which the tests submit real sweeps to with the built CLI, and a headless
/// browser that reads the pages; screenshots of every page are kept under $SALIENCY_TEST_ARTIFACTS.
/// </summary>
public sealed class WebSiloFixture : IAsyncLifetime
{
    public string Root { get; } = TestData.TemporaryDirectory();
    public ClusterEndpoints Endpoints { get; } = ClusterEndpoints.OnFreePorts();
    public int WebPort { get; } = ClusterEndpoints.OnFreePorts().SiloPort;
    public string Url => $"http://127.0.0.1:{WebPort}";
    public string Artifacts { get; } = Environment.GetEnvironmentVariable("SALIENCY_TEST_ARTIFACTS") ?? Path.Combine(AppContext.BaseDirectory, "artifacts");
    public ChildProcess Silo { get; private set; } = null!;
    public HeadlessChromium Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Artifacts);
        Silo = ChildProcess.Start("silo --web", Binaries.Cli, ["silo", "--web", Port(WebPort), "--silo-port", Port(Endpoints.SiloPort),
            "--gateway-port", Port(Endpoints.GatewayPort), "--runs", Path.Combine(Root, "runs"), "--threads", "1", "--allow", "/"], Root);
        await Silo.WaitForLine(line => line.Contains("web view:", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Browser = await HeadlessChromium.Start();
    }

    /// <summary>Submits <paramref name="spec"/> with <c>saliency submit</c> and returns the sweep's id.</summary>
    public async Task<string> Submit(string spec)
    {
        var path = Path.Combine(Root, $"{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, spec);
        using var submit = Cli("submit", path);
        Assert.True(await submit.Exit(TimeSpan.FromSeconds(90)) == 0, submit.Tail(20));
        return submit.OutputLines[^1].Trim();
    }

    /// <summary>The built CLI against this silo's gateway.</summary>
    public ChildProcess Cli(params string[] arguments) =>
        ChildProcess.Start($"saliency {arguments[0]}", Binaries.Cli, [.. arguments, "--cluster", Port(Endpoints.GatewayPort)], Root);

    public async Task<JsonNode> Get(string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        return JsonNode.Parse(await http.GetStringAsync(Url + path))!;
    }

    /// <summary>Waits until the sweep's API says it is completed.</summary>
    public async Task<JsonNode> Completed(string id, TimeSpan limit)
    {
        for (var deadline = DateTime.UtcNow + limit; ; await Task.Delay(1000))
        {
            var sweep = await Get($"/api/sweeps/{id}");
            if (sweep["status"]!.GetValue<string>() == "completed") return sweep;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"sweep {id} did not complete within {limit.TotalSeconds:F0} s: {sweep["status"]}");
        }
    }

    public Task Screenshot(string name) => Browser.SaveScreenshot(Path.Combine(Artifacts, name));

    static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Silo?.Dispose();
    }
}

/// <summary>The web view in Debian's headless Chromium, on a real sweep running on a silo process, and on a finished run directory.</summary>
public sealed class WebViewTests(WebSiloFixture silo) : IClassFixture<WebSiloFixture>
{
    const string LiveSpec = """
        name: web-live
        model: fashion-cnn
        data: fashion-mnist:test:0-95
        methods:
          ig: { baseline: [black, blur:5], steps: [8, 32] }
          gradcam: {}
        metrics: [deletion, insertion, completeness]
        shard: 8
        seed: 7
        maps: 4
        """;

    const string SmallSpec = """
        name: web-small
        model: fashion-cnn
        data: fashion-mnist:test:0-15
        methods:
          ig: { baseline: [black], steps: [8] }
          gradcam: {}
        metrics: [deletion, insertion, completeness]
        shard: 8
        seed: 7
        maps: 2
        """;

    static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_pages_follow_a_running_sweep_and_its_api_ends_equal_to_status_json()
    {
        var id = await silo.Submit(LiveSpec);
        var browser = silo.Browser;
        await browser.Open($"{silo.Url}/sweeps/{id}");

        // The table fills: a row per trial, some with images, while the sweep runs.
        var first = await Until(browser, "rows with images while running",
            "const rows = [...document.querySelectorAll('#trials tbody tr')]; " +
            "return rows.length === 5 && rows.some(r => Number(r.children[col('images')].textContent) > 0) && document.getElementById('headline').textContent.startsWith('running') ? Table() : null;");
        await silo.Screenshot("web-sweep-running.png");
        // ... and changes while it runs.
        await Until(browser, "the table to change", $"return Table() !== {JsonValue.Create(first)!.ToJsonString()} ? true : null;");

        // A map appears for an image whose work item has landed.
        await browser.Open($"{silo.Url}/sweeps/{id}/images/0");
        await Until(browser, "a map to be shown", "return [...document.querySelectorAll('#maps img')].some(i => i.complete && i.naturalWidth > 0) ? true : null;");
        await silo.Screenshot("web-image-running.png");

        var finished = await silo.Completed(id, TimeSpan.FromSeconds(150));
        using var status = silo.Cli("status", id, "--json");
        Assert.True(await status.Exit(TimeSpan.FromSeconds(60)) == 0, status.Tail(20));
        var printed = JsonNode.Parse(string.Join("\n", status.OutputLines))!;
        Assert.True(JsonNode.DeepEquals(printed, finished["progress"]), $"status --json:\n{printed}\nthe API's progress:\n{finished["progress"]}");

        // Sorting: a numeric column sorts high to low at the first click, low to high at the second.
        await browser.Open($"{silo.Url}/sweeps/{id}");
        await Until(browser, "the finished table", "return document.querySelectorAll('#trials tbody tr').length " +
            "=== 5 && document.getElementById('headline').textContent.startsWith('completed') ? true : null;");
        Assert.Equal("4,3,2,1,0", await Sorted(browser, "trial"));
        Assert.Equal("0,1,2,3,4", await Sorted(browser, "trial"));
        await silo.Screenshot("web-sweep-finished.png");
        await browser.Open($"{silo.Url}/");
        await Until(browser, "the sweeps page", $"return document.querySelector('#sweeps tbody')?.textContent.includes({JsonValue.Create(id)!.ToJsonString()}) ? true : null;");
        await silo.Screenshot("web-sweeps.png");
    }

    [Fact]
    public async Task Saliency_view_shows_a_finished_run_directory_with_every_trials_map_and_both_curves()
    {
        var id = await silo.Submit(SmallSpec);
        var finished = await silo.Completed(id, TimeSpan.FromSeconds(120));
        var curved = CurvedRunDirectory.Copy(finished["progress"]!["RunDirectory"]!.GetValue<string>(), Path.Combine(silo.Root, "curved"));
        var port = ClusterEndpoints.OnFreePorts().SiloPort;
        using var view = ChildProcess.Start("saliency view", Binaries.Cli, ["view", curved, "--port", port.ToString(CultureInfo.InvariantCulture)], silo.Root);
        await view.WaitForLine(line => line.Contains("web view of", StringComparison.Ordinal), Limit);
        var browser = silo.Browser;

        await browser.Open($"http://127.0.0.1:{port}/sweeps/{id}/images/1");
        var shown = await Until(browser, "every map and both curves",
            "const cards = [...document.querySelectorAll('#maps .map')]; " +
            "return cards.length === 2 && cards.every(c => c.querySelector('img')?.naturalWidth > 0 && " +
                "c.querySelector('.curves').dataset.curves === 'deletion_auc insertion_auc') ? cards.length : null;");
        Assert.Equal("2", shown);
        await silo.Screenshot("web-view-image.png");
        await browser.Open($"http://127.0.0.1:{port}/sweeps/{id}");
        await Until(browser, "the finished table", "return document.querySelectorAll('#trials tbody tr').length === 2 ? true : null;");
        await silo.Screenshot("web-view-sweep.png");
    }

    /// <summary>Clicks the header of <paramref name="column"/> and reads the trial numbers in the table's order.</summary>
    static async Task<string> Sorted(HeadlessChromium browser, string column)
    {
        await browser.Evaluate($"document.querySelector('#trials th[data-key=\"{column}\"]').click(); return true;");
        return (await browser.Evaluate("return [...document.querySelectorAll('#trials tbody tr')].map(r => r.dataset.trial).join(',');"))!.GetValue<string>();
    }

    /// <summary>Runs <paramref name="script"/> (with the helpers Table() and col(name)) until it returns something other than null.</summary>
    static async Task<string> Until(HeadlessChromium browser, string what, string script)
    {
        const string helpers = "const Table = () => [...document.querySelectorAll('#trials tbody tr')].map(r => r.textContent).join('|'); " +
            "const col = name => [...document.querySelectorAll('#trials thead th')].findIndex(th => th.textContent === name); ";
        for (var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90); ; await Task.Delay(500))
        {
            var value = await browser.Evaluate(helpers + script);
            if (value is not null) return value.ToJsonString().Trim('"');
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the page did not show {what} within 90 s");
        }
    }
}

// The web view's parts run in this process with no server and no browser: the unit lane (./test.sh --fast). The browser
// tests on a running sweep are in Saliency.Cluster.Tests (WebViewTests).
[assembly: AssemblyTrait("Lane", "Unit")]

# Run after ./saliency has built: /usr/bin/python3 scripts/measure_web_view.py (needs chromium and chromium-driver; writes under /tmp/webm).
# Measures the web view over a whole demo sweep: the browser's memory with the sweep page open, and the CPU the view process spends.
# An argument keeps the page open and sampled that many seconds after the sweep ends (default 180), to see whether memory settles.
import json, os, subprocess, sys, time, urllib.request, glob  # noqa: E401
root = "/tmp/webm"; repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__))); cli = f"{repo}/client/bin/Release/net10.0/linux-x64/saliency"
run = subprocess.Popen([cli, "run", f"{repo}/client/sweeps/demo.yaml", "--runs", f"{root}/runs"], stdout=open(f"{root}/run.out", "w"), stderr=subprocess.STDOUT)
while not glob.glob(f"{root}/runs/demo-*/sweep.json"): time.sleep(0.5)
rundir = glob.glob(f"{root}/runs/demo-*")[0]; sid = os.path.basename(rundir)
view = subprocess.Popen([cli, "view", rundir, "--port", "18911"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(4)
drv = subprocess.Popen(["/usr/bin/chromedriver", "--port=18912"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); time.sleep(2)
def call(method, path, body=None):
    req = urllib.request.Request("http://127.0.0.1:18912/" + path, method=method, data=json.dumps(body).encode() if body is not None else None, headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))["value"]
s = call("POST", "session", {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1600,1000", "--enable-precise-memory-info"]}}}})["sessionId"]
call("POST", f"session/{s}/url", {"url": f"http://127.0.0.1:18911/sweeps/{sid}"})
def ticks(pid): f = open(f"/proc/{pid}/stat").read().split(")")[1].split(); return int(f[11]) + int(f[12])
def chromium_rss():
    out = subprocess.run(["ps", "-C", "chromium", "-o", "rss="], capture_output=True, text=True).stdout.split()
    return sum(int(x) for x in out) / 1024
after = int(sys.argv[1]) if len(sys.argv) > 1 else 180
t0 = time.time(); c0 = ticks(view.pid); samples = []; ended = None
while run.poll() is None or time.time() - (ended or time.time()) < after:
    if run.poll() is not None and ended is None: ended = time.time()
    heap = call("POST", f"session/{s}/execute/sync", {"script": "return performance.memory.usedJSHeapSize;", "args": []})
    samples.append((round(time.time() - t0), round(heap / 2**20, 1), round(chromium_rss())))
    time.sleep(10)
heap_end = call("POST", f"session/{s}/execute/sync", {"script": "return performance.memory.usedJSHeapSize;", "args": []})
wall = time.time() - t0; cpu = (ticks(view.pid) - c0) / os.sysconf("SC_CLK_TCK")
print(json.dumps({"wall_s": round(wall), "sweep_ended_s": round((ended or time.time()) - t0), "view_cpu_s": round(cpu, 2), "view_cpu_share_of_one_core": round(cpu / wall, 4), "samples_s_heapMiB_chromiumRssMiB": samples, "rundir": rundir}))
call("DELETE", f"session/{s}"); drv.kill(); view.kill()

// The web view's pages: each polls the API every few seconds and redraws in place. Nothing is kept from one poll to the
// next but the current document and one chart object per chart, so a page left open for hours holds what it shows.
"use strict";

const POLL_MS = 2000;
const page = document.body.dataset.page;
const parts = location.pathname.split("/").filter(Boolean).map(decodeURIComponent);
const sweepId = parts[1];
const imageIndex = parts.length >= 4 ? Number(parts[3]) : null;

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value; else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function number(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return "";
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en");
  const text = Number(value).toPrecision(digits);
  return text.includes("e") || !text.includes(".") ? text : text.replace(/\.?0+$/, "");
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return "";
  seconds = Math.round(seconds);
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
}

async function getJson(url) {
  const response = await fetch(url, { cache: "no-store", credentials: "same-origin" });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || `${url}: ${response.status}`);
  return body;
}

function showError(error) {
  document.getElementById("error").textContent = error ? String(error.message || error) : "";
}

function stamp() {
  document.getElementById("updated").textContent = `updated ${new Date().toLocaleTimeString("en-GB")}`;
}

// Polls fn every POLL_MS, one request at a time, for as long as the page is open.
function poll(fn) {
  const run = async () => {
    try { await fn(); showError(null); stamp(); } catch (error) { showError(error); }
    setTimeout(run, POLL_MS);
  };
  run();
}

// A table whose rows are sorted by the column clicked, ascending or descending, by number where the column says so.
function sortable(table, render) {
  const state = { key: null, descending: false };
  table.tHead.addEventListener("click", event => {
    const th = event.target.closest("th");
    if (!th || !th.dataset.key) return;
    state.descending = state.key === th.dataset.key ? !state.descending : th.dataset.number !== undefined;
    state.key = th.dataset.key;
    render();
  });
  state.apply = (rows, valueOf) => {
    for (const th of table.tHead.querySelectorAll("th")) {
      th.classList.toggle("sorted-asc", th.dataset.key === state.key && !state.descending);
      th.classList.toggle("sorted-desc", th.dataset.key === state.key && state.descending);
    }
    if (!state.key) return rows;
    const th = table.tHead.querySelector(`th[data-key="${CSS.escape(state.key)}"]`);
    const numeric = th && th.dataset.number !== undefined;
    const sign = state.descending ? -1 : 1;
    return [...rows].sort((a, b) => {
      const x = valueOf(a, state.key), y = valueOf(b, state.key);
      const missingX = x === null || x === undefined || x === "", missingY = y === null || y === undefined || y === "";
      if (missingX || missingY) return missingX === missingY ? 0 : missingX ? 1 : -1;
      return sign * (numeric ? x - y : String(x).localeCompare(String(y)));
    });
  };
  return state;
}

// ---- the sweeps -------------------------------------------------------------------------------------------------
function sweepsPage() {
  const table = document.getElementById("sweeps");
  let rows = [];
  const sorting = sortable(table, draw);
  function draw() {
    const body = table.tBodies[0];
    body.replaceChildren(...sorting.apply(rows, (row, key) => key === "best_value" ? row.best?.value : row[key]).map(row => el("tr", {},
      el("td", { class: "text" }, el("a", { href: `/sweeps/${encodeURIComponent(row.id)}` }, row.name), el("span", { class: "muted", text: ` ${row.id}` })),
      el("td", { class: "text", text: row.status }),
      el("td", { text: row.percent === undefined || row.percent === null ? "" : `${row.percent.toFixed(1)}%` }),
      el("td", { text: duration(row.eta_seconds) }),
      el("td", { class: "text", text: row.objective || "" }),
      el("td", { class: "text", text: row.best ? `${number(row.best.value)} (${row.best.label})` : "" }),
      el("td", { class: "text", text: row.submitted ? new Date(row.submitted).toLocaleString("en-GB") : "" }))));
  }
  poll(async () => { rows = await getJson("/api/sweeps"); draw(); });
}

// ---- a sweep ----------------------------------------------------------------------------------------------------
function interval(m) {
  if (!m) return "";
  return m.low === null || m.low === undefined ? number(m.mean) : `${number(m.mean)} [${number(m.low)}, ${number(m.high)}]`;
}

const charts = {};
function chart(id) {
  if (typeof echarts === "undefined") {
    document.getElementById(id).textContent = "charts are not installed in this build (scripts/setup.sh installs them)";
    return null;
  }
  return charts[id] ||= echarts.init(document.getElementById(id), null, { renderer: "canvas" });
}

function sweepPage() {
  document.getElementById("where").textContent = `sweep ${sweepId}`;
  const table = document.getElementById("trials");
  let doc = null, drawnVersion = null;
  const sorting = sortable(table, drawTable);

  function columns() {
    const metricColumns = doc.metrics.map(m => ({ key: `m:${m}`, title: m, number: true, value: t => t.metrics[m]?.mean, cell: t => interval(t.metrics[m]) }));
    const checks = [...new Set(doc.trials.flatMap(t => Object.keys(t.sanity || {})))];
    return [
      { key: "rank", title: "rank", number: true, value: t => t.rank },
      { key: "trial", title: "trial", number: true, value: t => t.trial },
      { key: "label", title: "configuration", value: t => t.label, text: true },
      { key: "state", title: "state", value: t => t.stopped ? `stopped at rung ${t.rung}` : t.state || (t.images ? "" : "waiting"), text: true },
      ...metricColumns,
      { key: "images", title: "images", number: true, value: t => t.images },
      { key: "seconds_per_image", title: "s / image", number: true, value: t => t.seconds_per_image, cell: t => number(t.seconds_per_image) },
      { key: "images_per_s", title: "images/s", number: true, value: t => t.images_per_s, cell: t => number(t.images_per_s) },
      { key: "tied_with_best", title: "tied with best", value: t => t.tied_with_best === null || t.tied_with_best === undefined ? "" : t.tied_with_best ? "yes" : "no" },
      { key: "pareto", title: "Pareto", value: t => t.pareto ? "yes" : "" },
      ...checks.map(c => ({ key: `s:${c}`, title: c, value: t => (t.sanity || {})[c] || "", cls: t => (t.sanity || {})[c] || "" })),
      { key: "maps", title: "maps", number: true, value: t => t.maps },
      { key: "reason", title: "failure or verdict", value: t => t.failure || t.reason || "", text: true },
    ];
  }

  function drawTable() {
    if (!doc || !doc.trials) return;
    const cols = columns();
    const header = el("tr", {}, ...cols.map(c => el("th", { "data-key": c.key, "data-number": c.number ? "" : null, text: c.title })));
    if (table.tHead.textContent !== header.textContent) table.tHead.replaceChildren(header);
    const byKey = Object.fromEntries(cols.map(c => [c.key, c]));
    const rows = sorting.apply(doc.trials, (t, key) => byKey[key]?.value(t));
    table.tBodies[0].replaceChildren(...rows.map(t => el("tr", { class: [t.recommended ? "recommended" : "", t.stopped ? "stopped" : ""].join(" ").trim() || null, "data-trial": t.trial },
      ...cols.map(c => el("td", { class: [c.text ? "text" : "", c.cls ? c.cls(t) : ""].join(" ").trim() || null, text: c.cell ? c.cell(t) : String(c.value(t) ?? "") })))));
  }

  function drawCharts() {
    const objective = doc.objective;
    const trials = doc.trials.filter(t => t.metrics[objective.metric] && t.seconds_per_image);
    const pareto = chart("pareto");
    if (pareto) pareto.setOption({
      animation: false,
      tooltip: { formatter: p => `${p.data[2]}<br>${objective.metric} ${number(p.data[1])}<br>${number(p.data[0])} s / image` },
      xAxis: { type: "log", name: "seconds per image", nameLocation: "middle", nameGap: 28 },
      yAxis: { type: "value", name: objective.metric, scale: true },
      series: [
        { type: "scatter", name: "trials", data: trials.filter(t => !t.pareto).map(t => [t.seconds_per_image, t.metrics[objective.metric].mean, t.label]), itemStyle: { color: "#9aa" } },
        { type: "line", name: "Pareto front", data: trials.filter(t => t.pareto).sort((a, b) => a.seconds_per_image - b.seconds_per_image)
            .map(t => [t.seconds_per_image, t.metrics[objective.metric].mean, t.label]), itemStyle: { color: "#d33" }, symbolSize: 9 },
      ],
    }, true);
    const parallel = chart("parallel");
    if (parallel) {
      const names = doc.parameters;
      const dims = [{ dim: 0, name: "method", type: "category", data: [...new Set(doc.trials.map(t => t.method))] },
        ...names.map((n, i) => ({ dim: i + 1, name: n, type: "category", data: [...new Set(doc.trials.map(t => t.parameters[n] ?? "–"))] })),
        { dim: names.length + 1, name: objective.metric, scale: true }];
      parallel.setOption({
        animation: false,
        parallelAxis: dims,
        parallel: { left: 40, right: 60, bottom: 30, top: 50 },
        series: [{ type: "parallel", lineStyle: { width: 2, opacity: 0.7 },
          data: trials.map(t => ["" + t.method, ...names.map(n => t.parameters[n] ?? "–"), t.metrics[objective.metric].mean]) }],
      }, true);
    }
    const agreement = chart("agreement");
    const pairs = doc.verdict?.agreements || [];
    if (agreement) {
      const metrics = [...new Set(pairs.flatMap(a => [a.first, a.second]))];
      const cells = metrics.map((_, i) => [i, i, 1]);
      for (const a of pairs) {
        const i = metrics.indexOf(a.first), j = metrics.indexOf(a.second);
        cells.push([i, j, a.tau], [j, i, a.tau]);
      }
      agreement.setOption({
        animation: false,
        tooltip: { formatter: p => `${metrics[p.data[0]]} / ${metrics[p.data[1]]}: τ ${number(p.data[2], 2)}` },
        grid: { left: 130, bottom: 90, top: 10, right: 20 },
        xAxis: { type: "category", data: metrics, axisLabel: { rotate: 40 } },
        yAxis: { type: "category", data: metrics },
        visualMap: { min: -1, max: 1, calculable: false, orient: "horizontal", left: "center", bottom: 0, inRange: { color: ["#2166ac", "#f7f7f7", "#b2182b"] } },
        series: [{ type: "heatmap", data: cells, label: { show: true, formatter: p => number(p.data[2], 2) } }],
      }, true);
    }
  }

  function imageLink(index, hasMaps, text) {
    return el("a", { href: `/sweeps/${encodeURIComponent(sweepId)}/images/${index}`, class: hasMaps ? "maps" : null, title: hasMaps ? "maps kept" : "no maps kept" }, text);
  }

  async function drawImages() {
    const images = doc.images || { count: 0, with_maps: [] };
    document.getElementById("images-note").textContent = images.unreadable ||
      `${images.count} images; maps are kept for the ${images.with_maps.length} highlighted (the spec's maps:), curves and metrics for every one.`;
    const shown = [...new Set([...images.with_maps, ...Array.from({ length: Math.min(images.count, 48) }, (_, i) => i)])].sort((a, b) => a - b);
    const withMaps = new Set(images.with_maps);
    document.getElementById("images").replaceChildren(...shown.map(i => imageLink(i, withMaps.has(i), String(i))),
      images.count > shown.length ? el("span", { class: "muted", text: ` … ${images.count - shown.length} more, by address` }) : null);
    const disputed = await getJson(`/api/sweeps/${encodeURIComponent(sweepId)}/images?order=disagreement&limit=24`);
    document.getElementById("disagreement").replaceChildren(...disputed.map(d => imageLink(d.index, d.has_maps, `${d.index} (σ ${number(d.spread, 2)})`)));
  }

  poll(async () => {
    doc = await getJson(`/api/sweeps/${encodeURIComponent(sweepId)}`);
    document.getElementById("name").textContent = doc.name;
    document.title = `Saliency: ${doc.name}`;
    const p = doc.progress;
    document.getElementById("bar").style.width = `${doc.percent ?? 0}%`;
    document.getElementById("headline").textContent = `${doc.status} · ${number(doc.percent ?? 0, 3)}% · ${p.WorkItemsDone} of ${p.WorkItemsTotal} work items` +
      (p.WorkItemsFailed ? `, ${p.WorkItemsFailed} failed` : "") + (doc.eta_seconds ? ` · about ${duration(doc.eta_seconds)} left` : "") +
      ` · ${number(p.ImagesPerSecond)} images/s`;
    if (doc.unreadable) showError(doc.unreadable);
    if (!doc.trials || doc.version === drawnVersion) return;
    drawnVersion = doc.version;
    drawTable();
    document.getElementById("findings").replaceChildren(...(doc.verdict?.findings || []).map(f => el("li", { text: f })));
    drawCharts();
    await drawImages();
  });
}

// ---- an image ---------------------------------------------------------------------------------------------------
function imagePage() {
  const base = `/sweeps/${encodeURIComponent(sweepId)}`;
  document.getElementById("where").append(el("a", { href: base, text: `sweep ${sweepId}` }), ` · image ${imageIndex}`);
  const shared = document.getElementById("shared");
  shared.checked = new URLSearchParams(location.search).get("scale") === "shared";
  const cards = new Map();
  let doc = null;

  function link(id, index) {
    const a = document.getElementById(id);
    a.classList.toggle("off", index === null || index === undefined);
    if (index !== null && index !== undefined) a.href = `${base}/images/${index}${shared.checked ? "?scale=shared" : ""}`;
  }

  function card(trial) {
    if (cards.has(trial.trial)) return cards.get(trial.trial);
    const picture = el("div", { class: "pending", text: "no map yet" });
    const curves = el("div", { class: "curves", "data-curves": "" });
    const metrics = el("table", {}, el("tbody"));
    const node = el("div", { class: "map", "data-trial": trial.trial }, el("h3", { text: `${trial.trial}: ${trial.label}` }), el("div", { class: "row" }, picture, curves), metrics);
    const entry = { node, picture, curves, metrics, chart: null, src: null, drawn: null };
    cards.set(trial.trial, entry);
    document.getElementById("maps").append(node);
    return entry;
  }

  function drawCard(trial) {
    const entry = card(trial);
    const src = trial.map_url ? (shared.checked ? trial.shared_map_url : trial.map_url) : null;
    if (src !== entry.src) {
      entry.src = src;
      const replacement = src ? el("img", { src, alt: `map of trial ${trial.trial}` }) : el("div", { class: "pending", text: doc.has_maps ? "no map yet" : "no map kept for this image" });
      entry.picture.replaceWith(replacement);
      entry.picture = replacement;
    }
    const curves = Object.entries(trial.curves || {});
    const signature = JSON.stringify(curves.map(([k, c]) => [k, c.scores.length]));
    if (curves.length && signature !== entry.drawn && typeof echarts !== "undefined") {
      entry.drawn = signature;
      entry.curves.dataset.curves = curves.map(([k]) => k).join(" ");
      entry.chart ||= echarts.init(entry.curves, null, { renderer: "canvas" });
      entry.chart.setOption({
        animation: false,
        legend: { top: 0, textStyle: { fontSize: 10 } },
        grid: { left: 32, right: 8, top: 28, bottom: 24 },
        xAxis: { type: "value", min: 0, max: 1, name: "fraction", nameLocation: "middle", nameGap: 18 },
        yAxis: { type: "value", min: 0, max: 1 },
        series: curves.map(([name, c]) => ({ type: "line", name: name.replace("_auc", ""), showSymbol: false, data: c.fractions.map((f, i) => [f, c.scores[i]]) })),
      }, true);
    } else if (!curves.length && !entry.drawn) {
      entry.curves.textContent = trial.logged ? "no curves in the log" : "not computed yet";
    }
    entry.metrics.tBodies[0].replaceChildren(...Object.entries(trial.metrics || {}).map(([m, v]) => el("tr", {}, el("td", { class: "text", text: m }), el("td", { text: number(v, 4) }))));
  }

  shared.addEventListener("change", () => {
    history.replaceState(null, "", `${location.pathname}${shared.checked ? "?scale=shared" : ""}`);
    if (doc) { doc.trials.forEach(drawCard); link("previous", doc.previous); link("next", doc.next); }
  });

  document.getElementById("disagree").addEventListener("click", async () => {
    const order = await getJson(`/api/sweeps/${encodeURIComponent(sweepId)}/images?order=disagreement&limit=500`);
    const at = order.findIndex(d => d.index === imageIndex);
    const next = order[at + 1] || order[0];
    if (next) location.href = `${base}/images/${next.index}${shared.checked ? "?scale=shared" : ""}`;
  });

  poll(async () => {
    doc = await getJson(`/api/sweeps/${encodeURIComponent(sweepId)}/images/${imageIndex}`);
    document.title = `Saliency: image ${doc.index} of ${doc.sweep}`;
    document.getElementById("title").textContent = `Image ${doc.index} of ${doc.count}`;
    const image = document.getElementById("image");
    if (image.getAttribute("src") !== doc.image_url) image.src = doc.image_url;
    document.getElementById("caption").textContent = `${doc.description}; label ${doc.label}${doc.class_name ? ` (${doc.class_name})` : ""}` +
      (doc.has_maps ? "; maps kept" : "; no maps kept for this image");
    link("previous", doc.previous);
    link("next", doc.next);
    doc.trials.forEach(drawCard);
  });
}

({ sweeps: sweepsPage, sweep: sweepPage, image: imagePage })[page]();

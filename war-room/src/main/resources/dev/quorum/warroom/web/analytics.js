// MTTA and MTTR per service and severity over time, drawn as SVG line charts, with the numbers as a table.
"use strict";
(() => {
  const { el } = Q;
  const SVG = "http://www.w3.org/2000/svg";
  // distinguishable on white at 3:1 or more (graphical objects, WCAG 1.4.11)
  const COLOURS = ["#0b4fb3", "#a33a00", "#1d6e24", "#7b1fa2", "#8a1010", "#00606b", "#6b4a00", "#37474f"];

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  function seriesKey(row, group) {
    if (group === "service") return row.service || "(none)";
    if (group === "severity") return row.severity || "(none)";
    return (row.service || "(none)") + " / " + (row.severity || "(none)");
  }

  /** Episode-weighted means per series and day. */
  function series(rows, group, count, mean) {
    const byKey = new Map();
    for (const r of rows) {
      if (r[mean] === null || r[mean] === undefined || !r[count]) continue;
      const key = seriesKey(r, group);
      if (!byKey.has(key)) byKey.set(key, new Map());
      const days = byKey.get(key);
      const d = days.get(r.day) || { n: 0, sum: 0 };
      d.n += r[count]; d.sum += r[mean] * r[count];
      days.set(r.day, d);
    }
    return [...byKey.entries()].map(([key, days]) => ({
      key, points: [...days.entries()].sort().map(([day, d]) => ({ day, minutes: d.sum / d.n / 60 }))
    }));
  }

  function chart(target, title, lines, days) {
    // drawn at the width it gets, so text keeps its size
    const W = Math.max(400, target.clientWidth || 900), H = 260, L = 50, R = 20, T = 10, B = 30;
    const max = Math.max(1, ...lines.flatMap(s => s.points.map(p => p.minutes)));
    const x = day => L + (days.length <= 1 ? (W - L - R) / 2 : days.indexOf(day) * (W - L - R) / (days.length - 1));
    const y = m => T + (H - T - B) * (1 - m / max);
    const root = svg("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": title + ": " + (lines.length
      ? lines.map(s => s.key + " " + s.points.map(p => p.day + " " + p.minutes.toFixed(1) + " min").join(", ")).join("; ")
      : "no data in this period") });
    root.append(svg("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#4a4a4a" }), svg("line", { x1: L, y1: T, x2: L, y2: H - B, stroke: "#4a4a4a" }));
    for (const frac of [0, 0.5, 1]) {
      root.append(svg("text", { x: L - 6, y: y(max * frac) + 4, "text-anchor": "end" }, (max * frac).toFixed(max * frac < 10 ? 1 : 0)));
    }
    const step = Math.max(1, Math.ceil(days.length / 10));
    days.forEach((day, i) => { if (i % step === 0) root.append(svg("text", { x: x(day), y: H - 10, "text-anchor": "middle" }, day.substring(5))); });
    lines.forEach((s, i) => {
      const colour = COLOURS[i % COLOURS.length];
      if (s.points.length > 1) {
        root.append(svg("polyline", { fill: "none", stroke: colour, "stroke-width": 2, points: s.points.map(p => x(p.day) + "," + y(p.minutes)).join(" ") }));
      }
      for (const p of s.points) root.append(svg("circle", { cx: x(p.day), cy: y(p.minutes), r: 3.5, fill: colour },
        svg("title", {}, s.key + ", " + p.day + ": " + p.minutes.toFixed(1) + " min")));
    });
    const legend = el("div", { class: "legend" }, lines.map((s, i) => el("span", { style: null, "data-colour": COLOURS[i % COLOURS.length] }, s.key)));
    target.replaceChildren(root, legend);
    legend.querySelectorAll("span").forEach(span => span.style.setProperty("--swatch", span.dataset.colour));
  }

  async function show() {
    const daysBack = Number(document.getElementById("days").value);
    const group = document.getElementById("group").value;
    const to = new Date();
    const from = new Date(to.getTime() - (daysBack - 1) * 86400_000);
    const iso = d => d.toISOString().substring(0, 10);
    try {
      const rows = await Q.get("/api/analytics/daily", { from: iso(from), to: iso(to) });
      const days = [];
      for (let d = new Date(iso(from)); d <= to; d = new Date(d.getTime() + 86400_000)) days.push(iso(d));
      chart(document.getElementById("mtta-chart"), "Mean time to acknowledge", series(rows, group, "acknowledged", "meanSecondsToAcknowledge"), days);
      chart(document.getElementById("mttr-chart"), "Mean time to resolve", series(rows, group, "resolved", "meanSecondsToResolve"), days);
      document.getElementById("number-rows").replaceChildren(...rows.map(r => el("tr", {},
        el("td", {}, r.day), el("td", {}, r.service || ""), el("td", {}, r.severity || ""), el("td", {}, String(r.episodes)),
        el("td", {}, String(r.acknowledged)), el("td", {}, Q.duration(r.meanSecondsToAcknowledge)),
        el("td", {}, String(r.resolved)), el("td", {}, Q.duration(r.meanSecondsToResolve)),
        el("td", {}, String(r.escalations)), el("td", {}, String(r.reopens)))));
      Q.say(rows.length ? "" : "No incidents were triggered in this period.");
    } catch (e) {
      Q.say("Could not load the analytics: " + e.message, true);
    }
  }

  document.getElementById("range").addEventListener("submit", e => { e.preventDefault(); show(); });
  (async () => {
    await Q.session();
    Q.header("/analytics");
    await show();
    Q.stream({ ready: () => {}, incident: () => { clearTimeout(window.analyticsTimer); window.analyticsTimer = setTimeout(show, 2000); } });
  })();
})();

// The board: open (or closed) incidents by severity and service, live from the change stream.
"use strict";
(() => {
  const { el } = Q;
  const OPEN = ["triggered", "acknowledged", "mitigated"];
  const CLOSED = ["resolved", "closed"];
  const RANK = { critical: 0, error: 1, warning: 2, info: 3 };
  const PAGE = 200;
  const params = new URLSearchParams(location.search);
  const filter = {
    view: params.get("view") === "closed" ? "closed" : "open",
    severity: params.get("severity") || "",
    service: params.get("service") || ""
  };
  const rows = new Map(); // incidentId/episode -> view
  let next = null;

  function statuses() { return filter.view === "closed" ? CLOSED : OPEN; }

  function matches(v) {
    return statuses().includes(v.status)
      && (!filter.severity || v.severity === filter.severity)
      && (!filter.service || v.service === filter.service);
  }

  function key(v) { return v.incidentId + "/" + v.episode; }

  function order(a, b) {
    const r = (RANK[a.severity] ?? 4) - (RANK[b.severity] ?? 4);
    if (r) return r;
    const s = (a.service || "").localeCompare(b.service || "");
    if (s) return s;
    return Date.parse(b.triggeredAt) - Date.parse(a.triggeredAt);
  }

  function columns() {
    const names = ["Severity", "Incident", "Service", "Status", "Age", "Acknowledged", "Commander", "Assignees", "Firing signals"];
    if (filter.view === "closed") names.push("MTTA", "MTTR");
    document.getElementById("columns").replaceChildren(...names.map(n => el("th", { scope: "col" }, n)));
  }

  function row(v, now) {
    const cells = [
      el("td", {}, Q.severity(v.severity)),
      el("td", {}, el("a", { href: "/incident?id=" + encodeURIComponent(v.incidentId) + "&episode=" + v.episode, class: "incident-link" },
        v.title || v.incidentId), v.episode > 1 ? el("span", { class: "muted" }, " (episode " + v.episode + ")") : null),
      el("td", {}, v.service || ""),
      el("td", { class: "status-cell" }, Q.status(v.status)),
      el("td", {}, Q.age(v.triggeredAt, now)),
      el("td", {}, v.acknowledgedAt ? Q.time(v.acknowledgedAt) : el("span", { class: "muted" }, "not yet")),
      el("td", {}, (v.roles && v.roles.commander) || ""),
      el("td", {}, (v.assignees || []).join(", ")),
      el("td", {}, String(v.firingSignals ?? 0))
    ];
    if (filter.view === "closed") cells.push(el("td", {}, Q.duration(v.secondsToAcknowledge)), el("td", {}, Q.duration(v.secondsToResolve)));
    return el("tr", { "data-key": key(v), "data-status": v.status }, cells);
  }

  function render() {
    const now = Date.now();
    const shown = [...rows.values()].sort(order);
    document.getElementById("rows").replaceChildren(...shown.map(v => row(v, now)));
    document.getElementById("count").textContent = shown.length + (shown.length === 1 ? " incident" : " incidents") + (next ? " shown; more to load" : "");
    document.getElementById("more").hidden = !next;
  }

  let pending = null;
  /** A storm changes many incidents a second: draw at most every 150 ms. */
  function schedule() {
    if (!pending) pending = setTimeout(() => { pending = null; render(); }, 150);
  }

  async function load(more) {
    try {
      const page = await Q.get("/api/incidents", {
        status: statuses().join(","), severity: filter.severity, service: filter.service, limit: PAGE, cursor: more ? next : null
      });
      if (!more) rows.clear();
      for (const v of page.items) rows.set(key(v), v);
      next = page.next;
      render();
      Q.say("");
    } catch (e) {
      Q.say("Could not load the incidents: " + e.message, true);
    }
  }

  function showFilters() {
    document.getElementById("view").value = filter.view;
    document.getElementById("severity").value = filter.severity;
    document.getElementById("service").value = filter.service;
    document.getElementById("heading").textContent = filter.view === "closed" ? "Resolved and closed incidents" : "Open incidents";
    columns();
  }

  document.getElementById("filters").addEventListener("submit", e => {
    e.preventDefault();
    filter.view = document.getElementById("view").value;
    filter.severity = document.getElementById("severity").value;
    filter.service = document.getElementById("service").value.trim();
    const q = new URLSearchParams();
    if (filter.view !== "open") q.set("view", filter.view);
    if (filter.severity) q.set("severity", filter.severity);
    if (filter.service) q.set("service", filter.service);
    history.replaceState(null, "", "/" + (q.toString() ? "?" + q : ""));
    showFilters();
    load(false);
  });
  document.getElementById("more").addEventListener("click", () => load(true));

  (async () => {
    await Q.session();
    Q.header("/");
    showFilters();
    await load(false);
    Q.stream({
      ready: () => load(false),
      incident: v => {
        if (matches(v)) rows.set(key(v), v); else rows.delete(key(v));
        schedule();
      },
      gone: g => { rows.delete(g.incidentId + "/" + g.episode); schedule(); }
    });
    setInterval(render, 30000); // ages move on
  })();
})();

// The incident page: state, roles, signals, follow-ups, the paged timeline, actions, live updates and the
// time slider (the instant and its axis live in the URL, so a link shows the same past).
"use strict";
(() => {
  const { el } = Q;
  const PAGE = 200;
  const params = new URLSearchParams(location.search);
  const id = params.get("id");
  const wantedEpisode = params.get("episode") ? Number(params.get("episode")) : null;
  let asOf = params.get("asOf");
  let axis = params.get("axis") === "occurred" ? "occurred" : "recorded";
  let entries = [];
  let next = null;
  let stream = null;
  /** Each move in time starts a generation; an answer for an older one is dropped, not drawn. */
  let generation = 0;

  const base = "/api/incidents/" + encodeURIComponent(id);
  const when = () => asOf ? { asOf, axis } : {};
  const unwrap = answer => asOf ? answer.view : answer;

  // ------------------------------------------------------------------ state

  function fact(list, name, value) {
    list.append(el("dt", {}, name), el("dd", {}, value === null || value === undefined || value === "" ? el("span", { class: "muted" }, "—") : value));
  }

  function showState(streamView, v) {
    document.getElementById("title").replaceChildren(
      Q.severity(v.severity), " ", v.title || id, " ", Q.status(v.status));
    document.title = (v.title || "Incident") + " · Quorum war room";
    const state = document.getElementById("state");
    state.replaceChildren();
    fact(state, "Status", el("span", { id: "state-status" }, v.status));
    fact(state, "Service", v.service);
    fact(state, "Severity", v.severity);
    fact(state, "Episode", v.episode + " of " + streamView.episodes);
    fact(state, "Triggered", Q.time(v.triggeredAt));
    fact(state, "Acknowledged", Q.time(v.acknowledgedAt));
    fact(state, "Resolved", Q.time(v.resolvedAt) + (v.resolvedBy ? " (" + v.resolvedBy + ")" : ""));
    fact(state, "Time to acknowledge", Q.duration(v.secondsToAcknowledge));
    fact(state, "Time to resolve", Q.duration(v.secondsToResolve));
    fact(state, "Escalations", v.escalations + (v.escalations ? " (level " + v.escalationLevel + ")" : ""));
    fact(state, "Reopened", String(v.reopens));
    fact(state, "Events", streamView.events + " (" + streamView.eventsWithoutEffect + " without effect)");
    if (v.mergedInto) fact(state, "Merged into", el("a", { href: "/incident?id=" + encodeURIComponent(v.mergedInto) }, v.mergedInto));

    const roles = document.getElementById("roles");
    roles.replaceChildren();
    for (const role of ["commander", "scribe", "comms"]) fact(roles, role[0].toUpperCase() + role.substring(1), (v.roles || {})[role]);
    fact(roles, "Assignees", (v.assignees || []).join(", "));

    const signals = Object.entries(v.signals || {});
    document.getElementById("signals").replaceChildren(...(signals.length
      ? signals.map(([fingerprint, s]) => el("li", {}, el("span", { class: "data" }, fingerprint), " ", Q.status(s)))
      : [el("li", { class: "muted" }, "no signals")]));

    const followups = v.followups || [];
    // a keyboard user on a follow-up's button keeps the focus through the redraw
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.followup : null;
    document.getElementById("followups").replaceChildren(...(followups.length ? followups.map(f => el("li", {},
      f.completed ? el("s", {}, f.title) : f.title,
      f.owner ? " (" + f.owner + ")" : "", f.completed ? " — done " : " ",
      f.completed ? null : el("button", { type: "button", class: "secondary complete", "data-followup": f.id,
        "aria-label": "Complete follow-up " + f.title, onclick: () => act({ action: "complete-followup", followupId: f.id }, "Follow-up completed") }, "Complete")))
      : [el("li", { class: "muted" }, "no follow-ups")]));
    if (focused) {
      const again = document.querySelector('#followups button[data-followup="' + CSS.escape(focused) + '"]');
      if (again) again.focus();
    }
    lockActions();
  }

  async function loadState() {
    const mine = generation;
    const answer = await Q.get(base, when());
    const streamView = unwrap(answer);
    let v = streamView.latest;
    if (wantedEpisode !== null && v && wantedEpisode !== v.episode) v = unwrap(await Q.get(base + "/episodes/" + wantedEpisode, when()));
    if (mine !== generation) return;
    if (asOf) showAsOf(answer);
    if (v) showState(streamView, v);
  }

  // ------------------------------------------------------------------ timeline

  function details(e) {
    const data = e.data || {};
    if (data.text) return data.text;
    const text = JSON.stringify(data);
    return text === "{}" ? "" : (text.length > 200 ? text.substring(0, 200) + "…" : text);
  }

  /** When this page first showed each event (ms since the epoch): how fast others' actions arrive. */
  const firstSeen = new Map();

  function entryRow(e) {
    const noEffect = e.effect === "no_effect";
    if (!firstSeen.has(e.eventId)) firstSeen.set(e.eventId, Date.now());
    return el("tr", { class: noEffect ? "no-effect" : null, "data-event-id": e.eventId, "data-type": e.type,
        "data-first-seen": firstSeen.get(e.eventId) },
      el("td", {}, Q.time(e.occurredAt)), el("td", {}, Q.time(e.ingestedAt)), el("td", {}, Q.time(e.recordedAt)),
      el("td", {}, e.type.replace(/^quorum\./, ""), e.episode ? el("span", { class: "muted" }, " #" + e.episode) : null),
      el("td", {}, e.actor || ""), el("td", {}, e.principal || ""), el("td", { class: "data" }, e.source || ""),
      el("td", { class: "effect-" + e.effect }, noEffect ? "no effect: " + (e.reason || "") : e.effect.replace("_", " ")),
      el("td", { class: "data" }, details(e)));
  }

  function showTimeline() {
    document.getElementById("entries").replaceChildren(...entries.map(entryRow));
    document.getElementById("timeline-count").textContent = entries.length + (entries.length === 1 ? " event" : " events") + (next ? " shown; more to load" : "");
    document.getElementById("more").hidden = !next;
    bounds();
  }

  async function page(cursor, limit) {
    return unwrap(await Q.get(base + "/timeline", Object.assign({ limit, cursor }, when())));
  }

  /** Loads the timeline again from the start, as far as it was loaded (a late event may change any entry). */
  async function loadTimeline() {
    const mine = generation;
    const wanted = Math.max(PAGE, entries.length);
    const loaded = [];
    let cursor = null;
    do {
      const p = await page(cursor, Math.min(1000, wanted - loaded.length));
      loaded.push(...p.entries);
      cursor = p.next;
    } while (cursor && loaded.length < wanted);
    if (mine !== generation) return;
    entries = loaded;
    next = cursor;
    showTimeline();
  }

  async function more() {
    const p = await page(next, PAGE);
    entries.push(...p.entries);
    next = p.next;
    showTimeline();
  }

  // ------------------------------------------------------------------ live

  let running = null;
  let again = false;
  const awaited = new Set();

  /** Reloads state and timeline; one at a time, again if asked meanwhile; retries until awaited events show. */
  function refresh(eventId) {
    if (asOf) return;
    if (eventId) awaited.add(eventId);
    if (running) { again = true; return; }
    running = (async () => {
      for (let attempt = 0; attempt < 40; attempt++) {
        again = false;
        try {
          await loadState();
          await loadTimeline();
        } catch (e) {
          Q.say("Could not reload: " + e.message, true);
        }
        const shown = new Set(entries.map(e => e.eventId));
        for (const waited of [...awaited]) if (shown.has(waited) || next) awaited.delete(waited);
        if (!again && awaited.size === 0) break;
        await new Promise(r => setTimeout(r, again ? 0 : 250));
      }
      awaited.clear();
      running = null;
    })();
  }

  // ------------------------------------------------------------------ actions

  function lockActions() {
    const past = Boolean(asOf);
    for (const control of document.querySelectorAll("#actions button, #actions input, #actions select, #actions textarea, #followups button")) {
      control.disabled = past;
    }
    document.getElementById("actions-note").textContent = past
      ? "You are looking at the past: go back to live to act."
      : "Actions are sent as you (" + (Q.me() ? Q.me().actor : "") + ") through the gateway.";
  }

  async function act(action, done) {
    try {
      const answer = await Q.act(id, action);
      Q.say(done + ".");
      refresh(answer && answer.events && answer.events[0] && answer.events[0].id);
      return true;
    } catch (e) {
      Q.say("Not done: " + e.message + (e.field ? " (" + e.field + ")" : ""), true);
      return false;
    }
  }

  function onSubmit(formId, make, done, clear) {
    document.getElementById(formId).addEventListener("submit", async e => {
      e.preventDefault();
      if (await act(make(), done) && clear) for (const c of clear) document.getElementById(c).value = "";
    });
  }

  for (const button of document.querySelectorAll("#lifecycle button")) {
    button.addEventListener("click", () => act({ action: button.dataset.action }, button.textContent + " sent"));
  }
  onSubmit("note-form", () => ({ action: "note", text: document.getElementById("note-text").value }), "Note added", ["note-text"]);
  onSubmit("assign-form", () => ({ action: "assign", responder: document.getElementById("assign-responder").value }), "Assigned", ["assign-responder"]);
  onSubmit("role-form", () => ({ action: "take-role", role: document.getElementById("role").value }), "Role taken");
  onSubmit("severity-form", () => ({ action: "severity", severity: document.getElementById("new-severity").value }), "Severity changed");
  onSubmit("followup-form", () => ({ action: "add-followup", title: document.getElementById("followup-title").value,
    owner: document.getElementById("followup-owner").value }), "Follow-up added", ["followup-title", "followup-owner"]);
  document.getElementById("more").addEventListener("click", () => more().catch(e => Q.say(e.message, true)));

  // ------------------------------------------------------------------ time

  const slider = document.getElementById("slider");
  const instant = document.getElementById("instant");
  const output = document.getElementById("slider-value");

  function axisTime(e) { return Date.parse(axis === "occurred" ? e.occurredAt : e.recordedAt); }

  /** The slider runs from the first event on the chosen axis to now. */
  function bounds() {
    const times = entries.map(axisTime).filter(t => !isNaN(t));
    const now = Date.now();
    // + 1 ms: the API's instants have microseconds, the browser's milliseconds; the first event must be in
    const min = times.length ? Math.min(...times) + 1 : now - 3600_000;
    const max = Math.max(now, asOf ? Date.parse(asOf) : 0, min);
    slider.min = String(min);
    slider.max = String(max);
    slider.value = String(asOf ? Date.parse(asOf) : max);
    showSlider();
  }

  /** @param moving the slider is being dragged: show where it is, not the instant shown */
  function showSlider(moving) {
    const iso = new Date(Number(slider.value)).toISOString();
    output.textContent = asOf && !moving ? asOf : (Number(slider.value) < Number(slider.max) ? iso : "now (live)");
    slider.setAttribute("aria-valuetext", output.textContent);
  }

  function showAsOf(answer) {
    const banner = document.getElementById("asof-banner");
    banner.hidden = false;
    banner.textContent = "As of " + answer.asOf + " by " + answer.axis + " time"
      + (answer.axis === "occurred" ? " (what had happened then)" : " (what the record said then)")
      + (answer.settled === false ? "; not settled yet: events may still be recorded for this instant" : "");
  }

  async function go(instantText) {
    generation++;
    const mine = generation;
    asOf = instantText;
    const q = new URLSearchParams({ id });
    if (wantedEpisode !== null) q.set("episode", wantedEpisode);
    if (asOf) { q.set("asOf", asOf); q.set("axis", axis); }
    history.replaceState(null, "", "/incident?" + q);
    document.getElementById("asof-banner").hidden = !asOf;
    try {
      await loadState();
      await loadTimeline();
      if (mine !== generation) return;
      Q.say(asOf ? "Showing the incident as of " + asOf + " (" + axis + ")." : "Live.");
    } catch (e) {
      if (mine !== generation) return;
      Q.say((asOf ? "Nothing to show as of " + asOf + ": " : "") + e.message, true);
    }
    lockActions();
  }

  // any instant, not a grid of steps; the keys move by a hundredth (arrows) or a tenth (Page Up/Down) of
  // the span, Home and End go to the first event and to now
  slider.addEventListener("keydown", e => {
    const span = Number(slider.max) - Number(slider.min);
    const by = { ArrowLeft: -0.01, ArrowDown: -0.01, ArrowRight: 0.01, ArrowUp: 0.01, PageDown: -0.1, PageUp: 0.1 }[e.key];
    if (by === undefined) return;
    e.preventDefault();
    slider.value = String(Math.min(Number(slider.max), Math.max(Number(slider.min), Number(slider.value) + by * span)));
    slider.dispatchEvent(new Event("input"));
    slider.dispatchEvent(new Event("change"));
  });
  slider.addEventListener("input", () => { showSlider(true); instant.value = new Date(Number(slider.value)).toISOString(); });
  slider.addEventListener("change", () => go(new Date(Number(slider.value)).toISOString()));
  for (const radio of document.querySelectorAll("input[name=axis]")) {
    radio.checked = radio.value === axis;
    radio.addEventListener("change", () => { axis = radio.value; if (asOf) go(asOf); else bounds(); });
  }
  document.getElementById("slider-form").addEventListener("submit", e => {
    e.preventDefault();
    const text = instant.value.trim();
    if (isNaN(Date.parse(text))) { Q.say("Not an instant: " + text + " (for example 2026-11-27T07:50:00Z)", true); return; }
    go(new Date(Date.parse(text)).toISOString());
  });
  document.getElementById("now").addEventListener("click", () => { instant.value = ""; go(null); });

  // ------------------------------------------------------------------ start

  (async () => {
    await Q.session();
    Q.header("");
    if (!id) { Q.say("No incident named: open one from the board.", true); return; }
    if (asOf) instant.value = asOf;
    await go(asOf);
    stream = Q.stream({
      ready: () => refresh(),
      event: n => { if (n.incidentId === id) refresh(n.eventId); },
      incident: v => { if (v.incidentId === id) refresh(); }
    });
  })();
})();

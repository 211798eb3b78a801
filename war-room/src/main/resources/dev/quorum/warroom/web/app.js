// Shared by every page: the session (its CSRF token held in memory only), reads and actions through the
// war room's API, the live update stream, and small DOM and formatting helpers. Text is always set as
// text, never as markup.
"use strict";
const Q = (() => {
  let csrf = null;
  let me = null;

  /** Builds an element: el("td", {class: "x"}, "text", childNode). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.substring(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  class Problem extends Error {
    constructor(status, body) {
      super((body && (body.detail || body.title)) || ("HTTP " + status));
      this.status = status;
      this.field = body && body.field;
    }
  }

  async function answer(response) {
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (e) { body = { detail: text }; }
    if (!response.ok) throw new Problem(response.status, body);
    return body;
  }

  /** The signed-in responder; sends the browser to sign-in when there is no session. */
  async function session() {
    const response = await fetch("/api/session", { credentials: "same-origin" });
    if (response.status === 401) { location.assign("/signin"); throw new Problem(401, null); }
    me = await answer(response);
    csrf = me.csrf;
    delete me.csrf;
    return me;
  }

  async function get(path, params) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined && v !== "") query.set(k, v);
    const q = query.toString();
    return answer(await fetch(path + (q ? "?" + q : ""), { credentials: "same-origin" }));
  }

  async function send(method, path, body) {
    const headers = { "X-CSRF-Token": csrf };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return answer(await fetch(path, { method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body) }));
  }

  /** One action on an incident; the server makes the event, the gateway stamps the actor. */
  function act(incidentId, action) {
    return send("POST", "/api/incidents/" + encodeURIComponent(incidentId) + "/actions", action);
  }

  async function signOut() {
    try { await send("DELETE", "/api/session"); } finally { location.assign("/signin"); }
  }

  /** The live update stream: handlers by event name; "ready" again after a reconnect (reload then). */
  function stream(handlers) {
    const source = new EventSource("/api/stream");
    const dot = document.getElementById("live");
    source.addEventListener("ready", () => { if (dot) { dot.classList.add("on"); dot.title = "live"; } handlers.ready && handlers.ready(); });
    source.onerror = () => { if (dot) { dot.classList.remove("on"); dot.title = "reconnecting"; } };
    for (const name of ["incident", "event", "gone"]) {
      if (handlers[name]) source.addEventListener(name, e => handlers[name](JSON.parse(e.data)));
    }
    return source;
  }

  /** The page header: navigation, the live indicator, the responder and sign-out. */
  function header(current) {
    const top = document.getElementById("top");
    const link = (href, label) => el("a", { href, "aria-current": current === href ? "page" : null }, label);
    top.replaceChildren(
      el("a", { class: "skip", href: "#main" }, "Skip to content"),
      el("span", { class: "brand" }, "Quorum war room"),
      el("nav", { "aria-label": "Pages" }, link("/", "Board"), link("/analytics", "Analytics")),
      el("div", { class: "who" },
        el("span", {}, el("span", { id: "live", class: "live", role: "img", "aria-label": "live updates", title: "connecting" }), "live"),
        el("span", { id: "actor" }, me ? "Signed in as " + me.actor : ""),
        el("button", { type: "button", id: "sign-out", onclick: signOut }, "Sign out")));
  }

  function say(text, isError) {
    const box = document.getElementById("message");
    if (!box) return;
    box.textContent = text || "";
    box.className = "message" + (isError ? " error" : "");
  }

  function time(iso) {
    if (!iso) return "";
    return iso.replace("T", " ").replace(/\.(\d{3})\d*Z$/, ".$1Z");
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "";
    const s = Math.round(seconds);
    if (s < 60) return s + "s";
    const m = Math.floor(s / 60);
    if (m < 60) return m + "m " + (s % 60) + "s";
    const h = Math.floor(m / 60);
    if (h < 48) return h + "h " + (m % 60) + "m";
    return Math.floor(h / 24) + "d " + (h % 24) + "h";
  }

  function age(iso, now) {
    return iso ? duration(((now || Date.now()) - Date.parse(iso)) / 1000) : "";
  }

  function severity(s) {
    return el("span", { class: "badge sev-" + (s || "none") }, s || "none");
  }

  function status(s) {
    return el("span", { class: "status status-" + s }, s);
  }

  return { el, session, get, act, stream, header, say, time, duration, age, severity, status, Problem, me: () => me };
})();

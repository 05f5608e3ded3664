// The status page: reads /health, /status/requests and /usage with the API key kept in this tab's session storage,
// and draws them. No framework, no external files.
"use strict";

const KEY_ITEM = "claude-max-api-key";
const REFRESH_MS = 5000;
let timer = null;

function headers() {
  const key = sessionStorage.getItem(KEY_ITEM);
  return key ? { "Authorization": "Bearer " + key } : {};
}

async function getJson(path) {
  const response = await fetch(path, { headers: headers() });
  if (response.status === 401) {
    throw new Unauthorized();
  }
  if (!response.ok) {
    throw new Error(path + " answered " + response.status);
  }
  return response.json();
}

class Unauthorized extends Error {}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) {
    node.textContent = text;
  }
  if (className) {
    node.className = className;
  }
  return node;
}

function fillTable(id, rows, cells) {
  const body = document.querySelector("#" + id + " tbody");
  body.replaceChildren();
  if (rows.length === 0) {
    const row = element("tr");
    const cell = element("td", "none", "muted");
    cell.colSpan = document.querySelectorAll("#" + id + " th").length;
    row.append(cell);
    body.append(row);
    return;
  }
  for (const item of rows) {
    const row = element("tr");
    for (const [text, className] of cells(item)) {
      row.append(element("td", text, className));
    }
    body.append(row);
  }
}

function time(iso) {
  return new Date(iso).toLocaleTimeString();
}

function number(value) {
  return Number(value).toLocaleString();
}

/** Bars per group: one or two series, scaled to the largest value, labelled at the ends. */
function drawBars(id, groups, series, labels) {
  const svg = document.getElementById(id);
  const ns = "http://www.w3.org/2000/svg";
  svg.replaceChildren();
  const width = 480, height = 160, bottom = 140, top = 12;
  const max = Math.max(1e-9, ...groups.map(g => series.reduce((sum, s) => sum + s.value(g), 0)));
  const slot = width / Math.max(1, groups.length);
  groups.forEach((group, i) => {
    let y = bottom;
    for (const s of series) {
      const h = (s.value(group) / max) * (bottom - top);
      const rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", (i * slot + 1).toFixed(1));
      rect.setAttribute("width", Math.max(1, slot - 2).toFixed(1));
      rect.setAttribute("y", (y - h).toFixed(1));
      rect.setAttribute("height", h.toFixed(1));
      rect.setAttribute("class", s.className);
      const title = document.createElementNS(ns, "title");
      title.textContent = labels(group) + " " + s.name + ": " + number(s.value(group));
      rect.append(title);
      svg.append(rect);
      y -= h;
    }
  });
  const caption = document.createElementNS(ns, "text");
  caption.setAttribute("x", "4");
  caption.setAttribute("y", "155");
  caption.textContent = groups.length === 0 ? "no traffic yet"
      : labels(groups[0]) + " … " + labels(groups[groups.length - 1]) + " · max " + number(max);
  svg.append(caption);
}

function hoursBack(count) {
  const out = [];
  const now = new Date();
  now.setUTCMinutes(0, 0, 0);
  for (let i = count - 1; i >= 0; i--) {
    const d = new Date(now.getTime() - i * 3600e3);
    out.push(d.toISOString().slice(0, 13) + ":00");
  }
  return out;
}

function daysBack(count) {
  const out = [];
  const now = Date.now();
  for (let i = count - 1; i >= 0; i--) {
    out.push(new Date(now - i * 86400e3).toISOString().slice(0, 10));
  }
  return out;
}

/** Every hour or day of the span, with zeros where the history has nothing. */
function filled(keys, groups) {
  const byKey = new Map(groups.map(g => [g.group, g]));
  return keys.map(key => byKey.get(key) || { group: key, input_tokens: 0, output_tokens: 0,
      cache_read_input_tokens: 0, cache_creation_input_tokens: 0, cost_usd: 0, requests: 0 });
}

function render(health, requests, hours, days) {
  document.getElementById("summary").textContent = "status " + health.status + " · version " + health.version
      + (health.uptime_seconds !== undefined ? " · up " + Math.round(health.uptime_seconds / 60) + " min" : "")
      + (health.cli ? " · CLI " + health.cli.version : "");
  document.getElementById("in-flight").textContent = health.requests ? health.requests.in_flight : "–";
  document.getElementById("queued").textContent = health.requests ? health.requests.queued : "–";
  const engine = health.engine || {};
  document.getElementById("processes").textContent = engine.processes !== undefined ? engine.processes : "–";
  document.getElementById("process-states").textContent = "warm " + (engine.warm || 0) + " · live "
      + (engine.live_conversations || 0) + " · awaiting tools " + (engine.awaiting_tools || 0);
  document.getElementById("requests-24h").textContent = number(hours.total.requests);
  document.getElementById("tokens-24h").textContent = number(hours.total.input_tokens) + " in · "
      + number(hours.total.output_tokens) + " out · " + hours.total.errors + " errors";
  fillTable("plan", health.plan || [], w => [[w.type], [w.status, w.status === "rejected" ? "error" : ""],
      [w.utilization !== undefined ? Math.round(w.utilization * 100) + " %" : "–"],
      [w.resets_at ? new Date(w.resets_at).toLocaleString() : "–"]]);
  fillTable("running", requests.in_flight, r => [[time(r.since)], [r.route], [r.request_id, "muted"]]);
  fillTable("recent", requests.recent, r => [[time(r.at)], [r.method + " " + r.route], [r.model], [String(r.status)],
      [number(r.millis)], [number(r.input_tokens) + " / " + number(r.output_tokens)], [r.engine]]);
  fillTable("errors", requests.errors, r => [[time(r.at)], [r.method + " " + r.route], [String(r.status)],
      [r.error, "error"]]);
  const tokens = [{ name: "input", className: "input", value: g => g.input_tokens + g.cache_read_input_tokens
      + g.cache_creation_input_tokens }, { name: "output", className: "output", value: g => g.output_tokens }];
  drawBars("chart-hours", filled(hoursBack(24), hours.groups), tokens, g => g.group.slice(11));
  drawBars("chart-days", filled(daysBack(30), days.groups), tokens, g => g.group.slice(5));
  drawBars("chart-cost", filled(daysBack(30), days.groups),
      [{ name: "cost", className: "cost", value: g => g.cost_usd }], g => g.group.slice(5));
}

async function refresh() {
  const now = Date.now();
  const since24h = new Date(now - 24 * 3600e3).toISOString().slice(0, 19) + "Z";
  const since30d = new Date(now - 30 * 86400e3).toISOString().slice(0, 10);
  try {
    const [requests, hours, days] = await Promise.all([getJson("/status/requests"),
        getJson("/usage?group_by=hour&since=" + since24h), getJson("/usage?group_by=day&since=" + since30d)]);
    const health = await getJson("/health");
    document.getElementById("login").hidden = true;
    document.getElementById("app").hidden = false;
    render(health, requests, hours, days);
  } catch (failure) {
    if (failure instanceof Unauthorized) {
      showLogin(sessionStorage.getItem(KEY_ITEM) ? "That key was refused." : "");
      return;
    }
    document.getElementById("summary").textContent = "Could not load the status: " + failure.message;
  }
  timer = setTimeout(refresh, REFRESH_MS);
}

function showLogin(message) {
  clearTimeout(timer);
  document.getElementById("app").hidden = true;
  document.getElementById("login").hidden = false;
  document.getElementById("summary").textContent = "Sign in to see the status.";
  const error = document.getElementById("login-error");
  error.textContent = message;
  error.hidden = !message;
}

document.getElementById("login").addEventListener("submit", event => {
  event.preventDefault();
  sessionStorage.setItem(KEY_ITEM, document.getElementById("key").value);
  refresh();
});

refresh();

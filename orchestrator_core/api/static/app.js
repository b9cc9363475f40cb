// The operator's page: subscriptions search, one subscription with its workflows and process
// history, one process followed live. Plain DOM, hash routes, the same REST API as any client.
"use strict";

const view = document.getElementById("view");
const tokenInput = document.getElementById("token");
// The bearer token lives in this tab's sessionStorage only: gone when the tab closes, never in a URL.
const TOKEN_KEY = "orchestratorToken";
localStorage.removeItem(TOKEN_KEY);  // where earlier versions kept it
tokenInput.value = sessionStorage.getItem(TOKEN_KEY) || "";
tokenInput.addEventListener("change", () => saveToken(tokenInput.value));
let openStream = null;

function saveToken(token) {
  token = token.trim();
  if (token) sessionStorage.setItem(TOKEN_KEY, token); else sessionStorage.removeItem(TOKEN_KEY);
  tokenInput.value = token;
}

function authHeaders(headers) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers["Authorization"] = "Bearer " + token;
  return headers;
}

function askForToken(reason) {
  // Every call but health needs a token when the API's authentication is on: ask for one, then retry.
  const input = el("input", { id: "token-prompt-input", type: "password", autocomplete: "off",
    placeholder: "bearer token", required: true });
  const form = el("form", { id: "token-prompt", onsubmit: event => {
      event.preventDefault(); saveToken(input.value); route(); } },
    el("p", {}, reason || "This orchestrator needs a bearer token."),
    input, el("button", { type: "submit" }, "Use token"));
  view.replaceChildren(form);
  input.focus();
}

const REASONS = {
  "guard.unavailable": "The guard is not available in this build",
  "subscription.not_in_sync": "The subscription is out of sync (another workflow runs or failed on it)",
  "subscription.relations_not_in_sync": "A related subscription is out of sync",
  "subscription.no_modify_invalid_status": "Not allowed in this lifecycle state",
};

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

class NeedsToken extends Error {}

async function api(method, path, body) {
  const headers = authHeaders({ "Accept": "application/json" });
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (response.status === 401) {
    askForToken(data && data.message);
    throw new NeedsToken((data && data.message) || "A bearer token is needed");
  }
  if (!response.ok) {
    const error = new Error((data && data.message) || response.statusText);
    error.status = response.status; error.body = data;
    throw error;
  }
  return data;
}

function when(iso) { return iso ? new Date(iso).toLocaleString() : ""; }
function lifecycle(status) { return el("span", { class: "lifecycle " + status, "data-lifecycle": status }, status); }
function showError(error) {
  if (!(error instanceof NeedsToken)) view.replaceChildren(el("p", { class: "error", id: "error" }, error.message));
}

async function showSearch(params) {
  const q = new URLSearchParams();
  if (params.get("q")) q.set("q", params.get("q"));
  if (params.get("status")) q.append("status", params.get("status"));
  q.set("limit", "50");
  const page = await api("GET", "/api/subscriptions?" + q);
  const rows = page.items.map(s => el("tr", { class: "sub-row", "data-id": s.subscription_id,
      onclick: () => { location.hash = "#/subscriptions/" + s.subscription_id; } },
    el("td", {}, el("a", { href: "#/subscriptions/" + s.subscription_id }, s.description)),
    el("td", {}, s.product_name), el("td", {}, s.customer_id), el("td", {}, lifecycle(s.status)),
    el("td", {}, s.insync ? "in sync" : "out of sync"), el("td", {}, when(s.start_date))));
  view.replaceChildren(
    el("p", { class: "muted", id: "result-count" }, `${page.total}${page.total_exact ? "" : "+"} subscription(s)`),
    el("table", { id: "results" },
      el("thead", {}, el("tr", {}, ["Description", "Product", "Customer", "Lifecycle", "Sync", "Start"]
        .map(h => el("th", {}, h)))),
      el("tbody", {}, rows)));
}

function workflowButton(subscriptionId, wf) {
  const blocked = wf.allowed !== true;
  const reasonText = wf.message || (wf.reason ? (REASONS[wf.reason] || wf.reason) : "");
  return el("div", { class: "wf" },
    el("button", { "data-workflow": wf.name, disabled: blocked, title: reasonText || wf.description,
      onclick: () => startWorkflow(wf.name, subscriptionId) }, wf.description || wf.name),
    blocked ? el("span", { class: "reason", "data-reason": wf.reason || "" }, reasonText) : null);
}

async function startWorkflow(name, subscriptionId) {
  try {
    const answer = await api("POST", "/api/processes/" + encodeURIComponent(name), [{ subscription_id: subscriptionId }]);
    location.hash = "#/processes/" + answer.id;
  } catch (error) {
    const detail = error.status === 510 ? "This workflow needs form input; start it through the API with its form pages."
      : error.message;
    alert(`${name}: ${detail}`);
  }
}

async function showSubscription(id) {
  const s = await api("GET", "/api/subscriptions/" + id);
  const groups = Object.entries(s.workflows.workflows).filter(([, list]) => list.length).map(([target, list]) =>
    el("div", { class: "target", "data-target": target }, el("h4", {}, target),
      list.map(wf => workflowButton(s.subscription_id, wf))));
  const processes = s.processes.map(p => el("tr", { class: "process-row", "data-id": p.process_id },
    el("td", {}, el("a", { href: "#/processes/" + p.process_id }, p.workflow_name)),
    el("td", { class: "status " + p.status }, p.status), el("td", {}, p.last_step || ""),
    el("td", {}, p.created_by || ""), el("td", {}, when(p.started_at)),
    el("td", {}, p.prefect_url ? el("a", { href: p.prefect_url, target: "_blank", class: "prefect-link" }, "Prefect")
      : el("span", { class: "muted" }, "no flow run link"))));
  view.replaceChildren(
    el("h2", { id: "subscription-title" }, s.description, " ", lifecycle(s.status)),
    el("p", { class: "muted" }, `${s.product_name} · customer ${s.customer_id} · ${s.insync ? "in sync" : "out of sync"}`
      + ` · ${s.subscription_id}`),
    el("div", { class: "grid" },
      el("section", { id: "workflows" }, el("h3", {}, "Workflows"),
        s.workflows.reason ? el("p", { class: "reason", id: "global-reason" },
          s.workflows.message || REASONS[s.workflows.reason] || s.workflows.reason) : null,
        groups.length ? groups : el("p", { class: "muted" }, "No workflows for this product")),
      el("section", {}, el("h3", {}, "Domain model"), el("pre", { id: "domain-model" },
        JSON.stringify(s.domain_model.model, null, 2)))),
    el("section", { id: "process-history" }, el("h3", {}, "Process history"),
      el("table", {}, el("thead", {}, el("tr", {}, ["Workflow", "Status", "Last step", "By", "Started", "Prefect"]
        .map(h => el("th", {}, h)))), el("tbody", {}, processes))));
}

function changes(diff) {
  // A step's changes folded under a one-line summary; nothing at all for a step that changed nothing
  // (its diff is null or empty), never the text "null".
  if (diff === null || diff === undefined) return "";
  const keys = typeof diff === "object" ? Object.keys(diff) : [];
  if (typeof diff === "object" && keys.length === 0) return "";
  const summary = keys.length ? `${keys.length} change${keys.length === 1 ? "" : "s"}: ${keys.slice(0, 4).join(", ")}${keys.length > 4 ? ", …" : ""}` : "changes";
  return el("details", {}, el("summary", {}, summary), el("pre", {}, JSON.stringify(diff, null, 1)));
}

function renderProcess(p) {
  const steps = p.steps.map(step => el("tr", {},
    el("td", {}, step.step_index), el("td", {}, step.name), el("td", { class: "status " + step.status }, step.status),
    el("td", {}, step.created_by || ""), el("td", {}, when(step.completed_at)),
    el("td", { class: "changes" }, changes(step.diff))));
  const actions = [];
  if (["failed", "waiting", "crashed", "suspended"].includes(p.status))
    actions.push(el("button", { id: "resume", onclick: () => act(p.process_id, "resume") }, "Retry / resume"));
  if (!["completed", "aborted"].includes(p.status))
    actions.push(el("button", { id: "abort", onclick: () => act(p.process_id, "abort") }, "Abort"));
  view.replaceChildren(
    el("h2", {}, p.workflow_name, " ", el("span", { class: "status " + p.status, id: "process-status" }, p.status)),
    el("p", { class: "muted" }, `by ${p.created_by || "?"} · started ${when(p.started_at)} · `,
      p.prefect_url ? el("a", { href: p.prefect_url, target: "_blank" }, "flow run in Prefect") : "no Prefect link"),
    p.failed_reason ? el("p", { class: "error" }, p.failed_reason) : "",
    el("div", {}, actions),
    el("table", { id: "steps" }, el("thead", {}, el("tr", {}, ["#", "Step", "Status", "By", "When", "Changes"]
      .map(h => el("th", {}, h)))), el("tbody", {}, steps)));
}

async function act(id, action) {
  try { await api("PUT", `/api/processes/${id}/${action}`); follow(id); }
  catch (error) { if (!(error instanceof NeedsToken)) alert(error.message); }
}

const pause = ms => new Promise(resolve => setTimeout(resolve, ms));

function events(path, onEvent) {
  // Server-sent events read with fetch, so that the bearer token goes along (EventSource cannot send it).
  // The stream reconnects when it expired or dropped, and stops at `end`, a refusal, or close().
  const controller = new AbortController();
  (async () => {
    while (!controller.signal.aborted) {
      let response;
      try {
        response = await fetch(path, { headers: authHeaders({ "Accept": "text/event-stream" }), signal: controller.signal });
      } catch (error) { if (controller.signal.aborted) return; await pause(2000); continue; }
      if (response.status === 401) { askForToken(); return; }
      if (!response.ok) return;  // e.g. 429: too many streams; the page still shows the process
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
            const line = block.split("\n").find(l => l.startsWith("event: "));
            if (!line) continue;
            const name = line.slice(7);
            onEvent(name);
            if (name === "end") { controller.abort(); return; }
          }
        }
      } catch (error) { if (controller.signal.aborted) return; }
      await pause(2000);
    }
  })();
  return { close: () => controller.abort() };
}

function follow(id) {
  if (openStream) openStream.close();
  const refresh = async () => {
    try { renderProcess(await api("GET", "/api/processes/" + id)); } catch (error) { showError(error); }
  };
  openStream = events(`/api/processes/${id}/events`, name => {
    if (name === "end") openStream = null;
    refresh();
  });
  refresh();
}

async function route() {
  if (openStream && !location.hash.startsWith("#/processes/")) { openStream.close(); openStream = null; }
  const [path, query] = location.hash.slice(1).split("?");
  const params = new URLSearchParams(query || "");
  const parts = (path || "/").split("/").filter(Boolean);
  try {
    if (parts[0] === "subscriptions" && parts[1]) await showSubscription(parts[1]);
    else if (parts[0] === "processes" && parts[1]) follow(parts[1]);
    else {
      document.getElementById("q").value = params.get("q") || "";
      document.getElementById("status").value = params.get("status") || "";
      await showSearch(params);
    }
  } catch (error) { showError(error); }
}

document.getElementById("search-form").addEventListener("submit", event => {
  event.preventDefault();
  const params = new URLSearchParams();
  for (const key of ["q", "status"]) { const value = document.getElementById(key).value; if (value) params.set(key, value); }
  location.hash = "#/?" + params;
});
window.addEventListener("hashchange", route);
route();

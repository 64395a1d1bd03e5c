// The merchant dashboard: plain JS modules over the /api endpoints, no framework, no bundle. This module routes
// between the home view and the referrer and referral views (#/referrers/{id}, #/referrals/{id}) and handles clicks.
import { api, shop } from "./api.js";
import { $, day, act, loading, loaded } from "./format.js";
import { loadAnalytics, loadQueue, loadReferrers, loadUnused, loadFailed } from "./home.js";
import { loadProgram, saveProgram, download } from "./program.js";
import { renderReferrer, renderReferral } from "./views.js";

const homeTitle = document.title;

// Which view the URL's hash names, and showing it: the detail views render into #detail, the home view stays loaded
// underneath (so going back keeps its range and search). Focus moves to the new view's heading for keyboard users.
function current() {
  const m = location.hash.match(/^#\/(referrers|referrals)\/(\d+)$/);
  return m ? { kind: m[1], id: Number(m[2]) } : null;
}

async function route(given) {
  const view = current(), detail = $("#detail"), home = $("#home");
  home.hidden = !!view;
  detail.hidden = !view;
  if (!view) {
    document.title = homeTitle;
    detail.innerHTML = "";
    document.body.dataset.view = "home";
    return;
  }
  loading(detail);
  try {
    if (view.kind === "referrers") await renderReferrer(detail, view.id);
    else await renderReferral(detail, view.id, given?.id === view.id ? given : undefined);
  } catch (e) {
    detail.innerHTML = `<a class="back" href="#/">← Referrals dashboard</a><p class="banner-critical">${e.status === 404 ? "Not found: " : ""}${e.message}</p>`;
  } finally { loaded(detail); }
  document.body.dataset.view = view.kind;
  detail.querySelector("h1")?.focus();
}

// After an action, what shows gets fresh data: the detail view, or the home sections it changed.
async function refresh(homeParts, given) {
  if (current()) await route(given);
  else await Promise.all(homeParts.map((f) => f()));
}

document.addEventListener("click", (e) => {
  const t = e.target.closest("button");
  if (!t) return;
  const scope = t.closest("article, section, #detail") || document;
  if (t.dataset.approve) act(async () => {
    t.disabled = true;
    const row = await api(`/referrals/${t.dataset.approve}/approve`, { method: "POST", body: "{}" });
    await refresh([loadQueue, loadAnalytics], row);
  });
  if (t.dataset.reject) act(async () => {
    const reason = scope.querySelector(`[data-reason="${t.dataset.reject}"]`).value;
    const row = await api(`/referrals/${t.dataset.reject}/reject`, { method: "POST", body: JSON.stringify({ reason }) });
    await refresh([loadQueue], row);
  });
  if (t.dataset.block) act(async () => {
    const reason = scope.querySelector(`[data-block-reason="${t.dataset.block}"]`).value;
    await api(`/referrers/${t.dataset.block}/block`, { method: "POST", body: JSON.stringify({ reason }) });
    await refresh([loadReferrers]);
  });
  if (t.dataset.unblock) act(async () => { await api(`/referrers/${t.dataset.unblock}/unblock`, { method: "POST" }); await refresh([loadReferrers]); });
  if (t.dataset.replay) act(async () => { await api(`/webhooks/${t.dataset.replay}/replay`, { method: "POST" }); await loadFailed(); });
  if (t.dataset.export) act(() => download(t.dataset.export));
});

// Back on the home view, the parts a detail view can change are reloaded.
window.addEventListener("hashchange", () => act(async () => { await route(); if (!current()) await Promise.all([loadQueue(), loadReferrers()]); }));

function start() {
  $("#shop").textContent = shop;
  // ?from=&to=&interval= in the page URL preset the range (a bookmark, or a test on a fixed data set); else the last 30 days.
  const q = new URLSearchParams(location.search), range = $("#range").elements, today = Date.now();
  range.from.value = q.get("from") || day(today - 29 * 86400000); range.to.value = q.get("to") || day(today);
  range.interval.value = q.get("interval") === "week" ? "week" : "day";
  $("#range").addEventListener("submit", (e) => { e.preventDefault(); act(loadAnalytics); });
  $("#program").addEventListener("submit", saveProgram);
  $("#unused-days").addEventListener("change", () => act(loadUnused));
  $("#ref-search").addEventListener("submit", (e) => { e.preventDefault(); act(loadReferrers); });
  act(async () => {
    await Promise.all([loadAnalytics(), loadQueue(), loadReferrers(), loadUnused(), loadFailed(), loadProgram(), route()]);
    document.body.dataset.ready = "true";
  });
}

// A module runs after the document is parsed; DOMContentLoaded may or may not have fired yet.
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();

// The merchant dashboard: plain JS over the /api endpoints, charts drawn as SVG by hand. No framework, no bundle.
"use strict";
const $ = (s) => document.querySelector(s);
const shop = document.body.dataset.shop;
const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
let currency = "USD";
const money = (v) => v == null ? "–" : new Intl.NumberFormat(undefined, { style: "currency", currency }).format(v);
const pct = (v) => v == null ? "–" : `${v}%`;
const num = (v) => v == null ? "–" : String(v);
// The API's times are ISO 8601 UTC strings; the page shows their UTC day. (Date.now() values work too.)
const day = (t) => t == null ? "" : new Date(t).toISOString().slice(0, 10);
const plural = (n, one, many = one + "s") => `${n} ${Number(n) === 1 ? one : many}`;

// A session token per request, fresh each time (they live one minute). Tests set window.shopifyReferralToken;
// inside the Shopify admin App Bridge supplies it; in sandbox mode the app mints one for the demo shop.
async function token() {
  if (window.shopifyReferralToken) return await window.shopifyReferralToken();
  if (window.shopify && window.shopify.idToken) return await window.shopify.idToken();
  if (document.body.dataset.sandbox === "true") return (await fetch(`/app/dev-token?shop=${encodeURIComponent(shop)}`)).text();
  throw new Error("No session token: open the app from the Shopify admin.");
}

// The shop has no usable token (a Shopify-managed install, or a refresh Shopify refused): one token exchange, shared
// by the calls that found out at the same time, then each retries once.
let exchanging = null;
function reauthorize() {
  exchanging ??= (async () => {
    const res = await fetch("/auth/token-exchange", { method: "POST", headers: { Authorization: `Bearer ${await token()}` } });
    if (!res.ok) throw new Error((await res.json().catch(() => ({}))).detail || `Token exchange failed: ${res.status}`);
  })().finally(() => { exchanging = null; });
  return exchanging;
}

async function api(path, options = {}, retried = false) {
  const res = await fetch(`/api${path}`, { ...options, headers: { ...(options.headers || {}), Authorization: `Bearer ${await token()}`, "Content-Type": "application/json" } });
  if (res.status === 401 && !retried && (await res.clone().json().catch(() => ({}))).type === "https://shopifyreferral.dev/problems/reauthorize") {
    await reauthorize();
    return api(path, options, true);
  }
  if (!res.ok) {
    const problem = await res.json().catch(() => ({}));
    const fields = problem.errors ? " " + Object.entries(problem.errors).map(([k, v]) => `${k}: ${v.join(" ")}`).join("; ") : "";
    throw new Error((problem.detail || problem.title || res.statusText) + fields);
  }
  return res.headers.get("content-type")?.includes("json") ? res.json() : res;
}

function showError(e) { const el = $("#error"); el.textContent = e ? e.message : ""; el.hidden = !e; }

// note: a short line under the figure saying what it is; title: the longer explanation, as a tooltip.
function card(label, value, sub, { note, title } = {}) {
  return `<div class="card"${title ? ` title="${esc(title)}"` : ""}><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div>${
    sub ? `<div class="sub">${esc(sub)}</div>` : ""}${note ? `<div class="note">${esc(note)}</div>` : ""}</div>`;
}

// Share rates are clicks per 100 referrers, so 250 % is normal for a program whose referrers share a lot.
const shareRateHelp = {
  note: "clicks per 100 referrers",
  title: "Tracked link clicks on the channel ÷ referrers × 100. It is more than 100 % when referrers' links are clicked more than once each.",
};

// A section waiting for the API says so (and aria-busy tells screen readers); a failed load says that instead.
function loading(...els) { for (const el of els) { el.setAttribute("aria-busy", "true"); el.innerHTML = `<p class="muted loading">Loading…</p>`; } }
function loaded(...els) { for (const el of els) el.removeAttribute("aria-busy"); }
async function section(els, fn) {
  loading(...els);
  try { await fn(); } catch (e) { for (const el of els) el.innerHTML = `<p class="muted">Could not load this part.</p>`; throw e; } finally { loaded(...els); }
}

function renderKpis(r) {
  const t = r.totals, ref = r.referred, not = r.notReferred;
  const share = Object.entries(t.shareRateByChannel).map(([c, v]) => `${c} ${pct(v)}`).join(" · ") || "no clicks";
  $("#kpis").innerHTML = [
    card("Participation rate", pct(t.participationRate), `${t.referrersEnrolled} enrolled / ${plural(t.customersWhoOrdered, "customer")}`),
    card("Share rate by channel", plural(t.clicks, "click"), share, shareRateHelp),
    card("Referral conversion", pct(t.conversionRate), `${plural(t.referredOrders, "order")} / ${plural(t.clicks, "click")}`),
    card("Referred revenue", money(t.referredRevenue), `of ${money(t.revenue)}`),
    card("AOV referred vs not", `${money(t.aovReferred)} / ${money(t.aovNotReferred)}`),
    card("Reward cost", money(t.rewardCost), `${plural(t.rewardsIssued, "reward")} · ${num(t.revenuePerRewardCost)} revenue per 1 of cost`),
    card("Retention referred vs not", `${pct(ref.retentionRate)} / ${pct(not.retentionRate)}`),
    card("CLV referred vs not", `${money(ref.clv)} / ${money(not.clv)}`),
  ].join("");
}

// Grouped bars: orders and referred orders per bucket.
function bars(el, title, series, keys, colors) {
  const w = 520, h = 200, pad = 28, n = series.length || 1, max = Math.max(1, ...series.flatMap((s) => keys.map((k) => s[k])));
  const bw = (w - pad * 2) / n, inner = bw * 0.8 / keys.length;
  let svg = `<svg viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(title)}">`;
  svg += `<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#ccc"/><text x="2" y="${pad}">${max}</text><text x="2" y="${h - pad}">0</text>`;
  series.forEach((s, i) => {
    keys.forEach((k, j) => {
      const bh = (h - pad * 2) * s[k] / max;
      svg += `<rect x="${pad + i * bw + bw * 0.1 + j * inner}" y="${h - pad - bh}" width="${Math.max(inner - 1, 1)}" height="${bh}" fill="${colors[j]}"><title>${day(Date.parse(s.start))} ${k}: ${s[k]}</title></rect>`;
    });
    if (n <= 14 || i % Math.ceil(n / 10) === 0) svg += `<text x="${pad + i * bw + bw / 2}" y="${h - 8}" text-anchor="middle">${day(Date.parse(s.start)).slice(5)}</text>`;
  });
  el.innerHTML = `<figcaption>${esc(title)}</figcaption>${svg}</svg><div class="legend">${keys.map((k, j) => `<span><i style="background:${colors[j]}"></i>${k}</span>`).join("")}</div>`;
}

// Lines: revenue, referred revenue and reward cost per bucket.
function lines(el, title, series, keys, colors) {
  const w = 520, h = 200, pad = 36, n = Math.max(series.length - 1, 1), max = Math.max(1, ...series.flatMap((s) => keys.map((k) => s[k])));
  const x = (i) => pad + (w - pad * 2) * i / n, y = (v) => h - pad - (h - pad * 2) * v / max;
  let svg = `<svg viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(title)}"><line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#ccc"/>`;
  svg += `<text x="2" y="${pad}">${Math.round(max)}</text><text x="2" y="${h - pad}">0</text>`;
  keys.forEach((k, j) => {
    svg += `<polyline fill="none" stroke="${colors[j]}" stroke-width="2" points="${series.map((s, i) => `${x(i)},${y(s[k])}`).join(" ")}"/>`;
  });
  series.forEach((s, i) => { if (series.length <= 14 || i % Math.ceil(series.length / 10) === 0) svg += `<text x="${x(i)}" y="${h - 8}" text-anchor="middle">${day(Date.parse(s.start)).slice(5)}</text>`; });
  el.innerHTML = `<figcaption>${esc(title)}</figcaption>${svg}</svg><div class="legend">${keys.map((k, j) => `<span><i style="background:${colors[j]}"></i>${k}</span>`).join("")}</div>`;
}

function table(rows, cols) {
  if (!rows.length) return `<p class="muted">Nothing here.</p>`;
  return `<table><thead><tr>${cols.map((c) => `<th class="${c.num ? "num" : ""}">${esc(c.h)}</th>`).join("")}</tr></thead><tbody>${
    rows.map((r) => `<tr>${cols.map((c) => `<td class="${c.num ? "num" : ""}">${c.html ? c.v(r) : esc(c.v(r))}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}

async function loadAnalytics() {
  const f = new FormData($("#range"));
  await section([$("#kpis"), $("#chart-orders"), $("#chart-revenue"), $("#top")], async () => {
    const r = await api(`/analytics?from=${f.get("from")}&to=${f.get("to")}&interval=${f.get("interval")}`);
    currency = r.currency || "USD";
    renderKpis(r);
    bars($("#chart-orders"), "Orders", r.series, ["orders", "referredOrders"], ["#9ca3af", "#2f6f4f"]);
    lines($("#chart-revenue"), "Revenue and reward cost", r.series, ["revenue", "referredRevenue", "rewardCost"], ["#9ca3af", "#2f6f4f", "#c07a1a"]);
    $("#top").innerHTML = table(r.topReferrers, [
      { h: "Referrer", v: (t) => t.name || t.email || t.code }, { h: "Code", v: (t) => t.code },
      { h: "Orders", v: (t) => t.orders, num: true }, { h: "Revenue", v: (t) => money(t.revenue), num: true }]);
  });
}

async function loadQueue() {
  await section([$("#queue")], async () => {
    const rows = await api("/referrals?status=review");
    $("#queue-count").textContent = rows.length;
    $("#queue").innerHTML = rows.length ? rows.map((r) => `<div class="referral" data-id="${r.id}">
        <strong>${esc(r.orderName || r.orderId)}</strong> · ${esc(r.friendEmail || "guest")} via <strong>${esc(r.code)}</strong>
        (${esc([r.referrerFirstName, r.referrerLastName].filter(Boolean).join(" ") || r.referrerEmail)}) · ${money(r.orderSubtotal && Number(r.orderSubtotal))} · ${day(r.createdAt)}
        <div class="muted">${esc(r.statusReason)}</div>
        <ul>${r.checks.map((c) => `<li><span class="outcome-${esc(c.outcome)}">${esc(c.rule)}: ${esc(c.outcome)}</span> – ${esc(c.evidence)}</li>`).join("")}</ul>
        <div class="actions"><button type="button" data-approve="${r.id}">Approve</button>
        <input placeholder="reason to reject" aria-label="reason" data-reason="${r.id}"><button type="button" class="danger" data-reject="${r.id}">Reject</button></div></div>`).join("")
      : `<p class="muted">No referral waits for review.</p>`;
  });
}

// codeState says whether checkout takes the code: blocking switches it off in Shopify in the background, so it reads
// "deactivating" until Shopify confirmed ("inactive"), and "activating" after an unblock until it is "active" again.
async function loadReferrers() {
  const q = new FormData($("#ref-search")).get("q") || "";
  await section([$("#referrers")], async () => {
  const rows = await api(`/referrers?limit=50${q ? `&q=${encodeURIComponent(q)}` : ""}`);
  $("#referrers").innerHTML = table(rows, [
    { h: "Referrer", v: (r) => [r.firstName, r.lastName].filter(Boolean).join(" ") || r.email }, { h: "Code", v: (r) => r.code },
    { h: "Code state", html: true, v: (r) => `<span class="code-state" data-state="${esc(r.codeState)}" title="${esc(r.codeError || "")}">${esc(r.codeState)}</span>` },
    { h: "Referrals", v: (r) => r.referrals, num: true },
    { h: "", html: true, v: (r) => r.blocked
      ? `<span class="muted">${esc(r.blockedReason)}</span> <button type="button" class="secondary" data-unblock="${r.id}">Unblock</button>`
      : `<input placeholder="reason to block" aria-label="reason" data-block-reason="${r.id}"><button type="button" class="danger" data-block="${r.id}">Block</button>` }]);
  });
}

async function loadUnused() {
  await section([$("#unused")], async () => {
    const rows = await api(`/rewards/unused?days=${Number($("#unused-days").value) || 0}`);
    $("#unused").innerHTML = table(rows, [
      { h: "Customer", v: (w) => [w.firstName, w.lastName].filter(Boolean).join(" ") || w.email }, { h: "Email", v: (w) => w.email },
      { h: "Reward", v: rewardWords }, { h: "Issued", v: (w) => day(w.issuedAt) }, { h: "Expires", v: (w) => day(w.expiresAt) }]);
  });
}

// Each reward type in the merchant's words: a gift card by its code, a free product by its product's title.
function rewardWords(w) {
  switch (w.rewardType) {
    case "gift_card": return `gift card ${w.code ?? ""} (${w.value} ${w.currency ?? ""})`.replace(/\s+\)/, ")");
    case "free_product": return `${w.code ?? ""} free ${w.productTitle || "product"}`.trim();
    case "store_credit": return `store credit ${w.value} ${w.currency ?? ""}`.trim();
    default: return w.code || w.rewardType;
  }
}

// A stored error reads "ShopifyHttpException: Shopify answered 502 ... Response body: <html>...": the table shows the
// first sentence without the exception's type name, and the whole text behind "Full error".
function shortError(text) {
  const plain = String(text ?? "").replace(/^[\w.]*Exception:\s*/, "").split("\n")[0].trim();
  const first = plain.match(/^.*?[.!?](?=\s|$)/)?.[0] || plain;
  return first.length > 120 ? first.slice(0, 119) + "…" : first;
}

function errorCell(text) {
  const short = shortError(text);
  return esc(short) + (short !== String(text ?? "").trim() ? `<details><summary>Full error</summary><pre>${esc(text)}</pre></details>` : "");
}

async function loadFailed() {
  await section([$("#failed")], async () => {
    const rows = await api("/webhooks/failed");
    $("#failed").innerHTML = table(rows, [
      { h: "Topic", v: (w) => w.topic }, { h: "Received", v: (w) => day(w.receivedAt) }, { h: "Error", html: true, v: (w) => errorCell(w.lastError) },
      { h: "", html: true, v: (w) => `<button type="button" class="secondary" data-replay="${w.id}">Replay</button>` }]);
  });
}

async function loadProgram() {
  const p = await api("/program");
  $("#prog-version").textContent = `version ${p.version}`;
  const form = $("#program");
  form.dataset.settings = JSON.stringify(p.settings);
  for (const el of form.elements) {
    if (!el.name) continue;
    const v = el.name.split(".").reduce((o, k) => o?.[k], p.settings);
    if (el.type === "checkbox") el.checked = !!v; else el.value = v ?? "";
  }
}

async function saveProgram(e) {
  e.preventDefault();
  const form = e.target, settings = JSON.parse(form.dataset.settings);
  for (const el of form.elements) {
    if (!el.name) continue;
    const path = el.name.split("."), last = path.pop(), target = path.reduce((o, k) => o[k], settings);
    // An empty text box is "not set" (null), as an empty number box is: a product id only a free product names.
    target[last] = el.type === "checkbox" ? el.checked : el.value === "" && el.tagName === "INPUT" ? null : el.type === "number" ? Number(el.value) : el.value;
  }
  if (settings.minimumOrderSubtotal == null) settings.minimumOrderSubtotal = 0;
  try { await api("/program", { method: "PUT", body: JSON.stringify(settings) }); $("#prog-status").textContent = "Saved."; await loadProgram(); }
  catch (err) { $("#prog-status").textContent = err.message; }
}

async function download(kind) {
  const res = await api(`/export/${kind}.csv`);
  const a = Object.assign(document.createElement("a"), { href: URL.createObjectURL(await res.blob()), download: `${kind}.csv` });
  a.click();
  URL.revokeObjectURL(a.href);
}

async function act(fn) { try { showError(null); await fn(); } catch (e) { showError(e); } }

document.addEventListener("click", (e) => {
  const t = e.target.closest("button");
  if (!t) return;
  if (t.dataset.approve) act(async () => { t.disabled = true; await api(`/referrals/${t.dataset.approve}/approve`, { method: "POST", body: "{}" }); await Promise.all([loadQueue(), loadAnalytics()]); });
  if (t.dataset.reject) act(async () => {
    const reason = document.querySelector(`[data-reason="${t.dataset.reject}"]`).value;
    await api(`/referrals/${t.dataset.reject}/reject`, { method: "POST", body: JSON.stringify({ reason }) }); await loadQueue();
  });
  if (t.dataset.block) act(async () => {
    const reason = document.querySelector(`[data-block-reason="${t.dataset.block}"]`).value;
    await api(`/referrers/${t.dataset.block}/block`, { method: "POST", body: JSON.stringify({ reason }) }); await loadReferrers();
  });
  if (t.dataset.unblock) act(async () => { await api(`/referrers/${t.dataset.unblock}/unblock`, { method: "POST" }); await loadReferrers(); });
  if (t.dataset.replay) act(async () => { await api(`/webhooks/${t.dataset.replay}/replay`, { method: "POST" }); await loadFailed(); });
  if (t.dataset.export) act(() => download(t.dataset.export));
});

document.addEventListener("DOMContentLoaded", () => {
  $("#shop").textContent = shop;
  // ?from=&to=&interval= in the page URL preset the range (a bookmark, or a test on a fixed data set); else the last 30 days.
  const q = new URLSearchParams(location.search), range = $("#range").elements, today = Date.now();
  range.from.value = q.get("from") || day(today - 29 * 86400000); range.to.value = q.get("to") || day(today);
  range.interval.value = q.get("interval") === "week" ? "week" : "day";
  $("#range").addEventListener("submit", (e) => { e.preventDefault(); act(loadAnalytics); });
  $("#program").addEventListener("submit", saveProgram);
  $("#unused-days").addEventListener("change", () => act(loadUnused));
  $("#ref-search").addEventListener("submit", (e) => { e.preventDefault(); act(loadReferrers); });
  act(async () => { await Promise.all([loadAnalytics(), loadQueue(), loadReferrers(), loadUnused(), loadFailed(), loadProgram()]); document.body.dataset.ready = "true"; });
});

// Words, numbers and markup shared by the views: amounts in the shop's currency and the admin's locale, status
// badges in Polaris tones, data tables, empty states that say what to do next.
export const $ = (s) => document.querySelector(s);
export const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

// The Shopify admin opens the app with ?locale= (the merchant's admin language); elsewhere the browser's.
export const locale = (() => {
  const wanted = new URLSearchParams(location.search).get("locale") || navigator.language || "en";
  try { return Intl.getCanonicalLocales(wanted)[0]; } catch { return "en"; }
})();

// The shop's currency, from the analytics report; amounts of a row in another currency say so with the row's code.
let shopCurrency = "USD";
export function setShopCurrency(code) { if (code) shopCurrency = code; }

// Amounts come as decimal strings ("43.20") or numbers; Intl shows them with the currency's symbol and decimals.
export function money(v, currency = shopCurrency) {
  if (v == null || v === "" || Number.isNaN(Number(v))) return "–";
  try { return new Intl.NumberFormat(locale, { style: "currency", currency: currency || shopCurrency }).format(Number(v)); }
  catch { return `${v} ${currency ?? ""}`.trim(); }
}
export const num = (v) => v == null ? "–" : new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(Number(v));
// Rates come as percentages (12.5 = 12.5 %).
export const pct = (v) => v == null ? "–" : new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(Number(v) / 100);
export const plural = (n, one, many = one + "s") => `${num(n)} ${Number(n) === 1 ? one : many}`;
// The API's times are ISO 8601 UTC strings: the UTC day for ranges and charts, a localized date elsewhere.
export const day = (t) => t == null ? "" : new Date(t).toISOString().slice(0, 10);
export const date = (t) => t == null ? "–" : new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(t));
export const dateTime = (t) => t == null ? "–" : new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(t)) + " UTC";
export const personName = (first, last, email) => [first, last].filter(Boolean).join(" ") || email || "–";

// Each status in the merchant's words and a Polaris badge tone.
const statuses = {
  // referrals
  pending: ["Pending", "info"], review: ["Needs review", "warning"], approved: ["Approved", "success"], rewarded: ["Rewarded", "success"],
  rejected: ["Rejected", "critical"], voided: ["Voided", ""],
  // rewards
  owed: ["Owed", "attention"], issued: ["Issued", "info"], redeemed: ["Redeemed", "success"], expired: ["Expired", ""],
  clawed_back: ["Clawed back", "warning"], lost: ["Lost", "critical"], failed: ["Failed", "critical"], cancelled: ["Cancelled", ""],
  // rule outcomes
  pass: ["Passed", "success"], reject: ["Rejected", "critical"],
};
export const statusLabel = (s) => statuses[s]?.[0] ?? String(s ?? "");
export function badge(status, label = statusLabel(status)) {
  const tone = statuses[status]?.[1] ?? "";
  return `<span class="badge" data-status="${esc(status)}"${tone ? ` data-tone="${tone}"` : ""}>${esc(label)}</span>`;
}

// Rule names as the engine writes them (self_referral) in words.
export const ruleLabel = (r) => { const s = String(r ?? "").replace(/[_-]+/g, " "); return s.charAt(0).toUpperCase() + s.slice(1); };

// A key figure. note: a short line under the figure saying what it is; title: the longer explanation, as a tooltip.
export function card(label, value, sub, { note, title } = {}) {
  return `<div class="card"${title ? ` title="${esc(title)}"` : ""}><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div>${
    sub ? `<div class="sub">${esc(sub)}</div>` : ""}${note ? `<div class="note">${esc(note)}</div>` : ""}</div>`;
}

export function empty(title, next) { return `<div class="empty"><strong>${esc(title)}</strong><p>${esc(next)}</p></div>`; }

// A data table; cols: { h: header, v: row => value, html: v returns markup, num: right-aligned }. caption names it for screen readers.
export function table(rows, cols, emptyState = empty("Nothing here yet.", "Rows appear here as soon as there are some."), caption = "") {
  if (!rows.length) return emptyState;
  return `<table>${caption ? `<caption class="visually-hidden">${esc(caption)}</caption>` : ""}<thead><tr>${cols.map((c) =>
    `<th scope="col" class="${c.num ? "num" : ""}">${c.h ? esc(c.h) : `<span class="visually-hidden">${esc(c.sr || "Actions")}</span>`}</th>`).join("")}</tr></thead><tbody>${
    rows.map((r) => `<tr>${cols.map((c) => `<td class="${c.num ? "num" : ""}">${c.html ? c.v(r) : esc(c.v(r))}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}

// A section waiting for the API says so (and aria-busy tells screen readers); a failed load says that instead.
export function loading(...els) { for (const el of els) { el.setAttribute("aria-busy", "true"); el.innerHTML = `<p class="muted loading">Loading…</p>`; } }
export function loaded(...els) { for (const el of els) el.removeAttribute("aria-busy"); }
export async function section(els, fn) {
  loading(...els);
  try { await fn(); } catch (e) { for (const el of els) el.innerHTML = `<p class="muted">Could not load this part.</p>`; throw e; } finally { loaded(...els); }
}

export function showError(e) { const el = $("#error"); el.textContent = e ? e.message : ""; el.hidden = !e; }
export async function act(fn) { try { showError(null); await fn(); } catch (e) { showError(e); } }

// Each reward type in the merchant's words: a gift card by its code, a free product by its product's title.
export function rewardWords(w) {
  switch (w.rewardType) {
    case "gift_card": return `Gift card ${w.code ?? ""} (${money(w.value, w.currency)})`.replace(/\s+\(/, " (");
    case "free_product": return `${w.code ?? ""} free ${w.productTitle || "product"}`.trim();
    case "store_credit": return `Store credit ${money(w.value, w.currency)}`;
    case "percentage": return `${w.code ?? ""} ${w.value ?? ""}% off`.trim();
    case "fixed_amount": return `${w.code ?? ""} ${money(w.value, w.currency)} off`.trim();
    default: return w.code || w.rewardType;
  }
}

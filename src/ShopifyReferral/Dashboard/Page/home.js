// The dashboard's home view: key figures, charts, the review queue, referrers, unused rewards, failed webhooks.
import { api } from "./api.js";
import { bars, lines } from "./charts.js";
import { $, esc, money, pct, num, plural, day, date, badge, card, empty, table, section, personName, rewardWords, ruleLabel, setShopCurrency } from "./format.js";
import { programKpis, renderFunnel } from "./funnel.js";

// Share rates are clicks per 100 referrers, so 250 % is normal for a program whose referrers share a lot.
const shareRateHelp = {
  note: "clicks per 100 referrers",
  title: "Tracked link clicks on the channel ÷ referrers × 100. It is more than 100 % when referrers' links are clicked more than once each.",
};

function renderKpis(r) {
  const t = r.totals, ref = r.referred, not = r.notReferred, c = r.currency;
  const share = Object.entries(t.shareRateByChannel).map(([ch, v]) => `${ch} ${pct(v)}`).join(" · ") || "no clicks";
  $("#kpis").innerHTML = [
    card("Participation rate", pct(t.participationRate), `${num(t.referrersEnrolled)} enrolled / ${plural(t.customersWhoOrdered, "customer")}`),
    card("Share rate by channel", plural(t.clicks, "click"), share, shareRateHelp),
    card("Referral conversion", pct(t.conversionRate), `${plural(t.referredOrders, "order")} / ${plural(t.clicks, "click")}`),
    card("Referred revenue", money(t.referredRevenue, c), `of ${money(t.revenue, c)}`),
    card("AOV referred vs not", `${money(t.aovReferred, c)} / ${money(t.aovNotReferred, c)}`),
    card("Reward cost", money(t.rewardCost, c), `${plural(t.rewardsIssued, "reward")} · ${num(t.revenuePerRewardCost)} revenue per 1 of cost`),
    card("Retention referred vs not", `${pct(ref.retentionRate)} / ${pct(not.retentionRate)}`),
    card("CLV referred vs not", `${money(ref.clv, c)} / ${money(not.clv, c)}`),
    ...programKpis(r.kpis, c),
  ].join("");
}

export async function loadAnalytics() {
  const f = new FormData($("#range"));
  await section([$("#kpis"), $("#funnel"), $("#chart-orders"), $("#chart-revenue"), $("#top")], async () => {
    const r = await api(`/analytics?from=${f.get("from")}&to=${f.get("to")}&interval=${f.get("interval")}`);
    setShopCurrency(r.currency);
    renderKpis(r);
    renderFunnel($("#funnel"), r.funnel);
    bars($("#chart-orders"), "Orders", r.series, ["orders", "referredOrders"]);
    lines($("#chart-revenue"), "Revenue and reward cost", r.series, ["revenue", "referredRevenue", "rewardCost"], r.currency);
    $("#top").innerHTML = table(r.topReferrers, [
      { h: "Referrer", html: true, v: (t) => `<a href="#/referrers/${t.referrerId}">${esc(t.name || t.email || t.code)}</a>` }, { h: "Code", v: (t) => t.code },
      { h: "Orders", v: (t) => num(t.orders), num: true }, { h: "Revenue", v: (t) => money(t.revenue, r.currency), num: true }],
    empty("No referred orders in this range.", "Referrers appear here once friends order with their codes: share the program link, or pick a longer range."), "Top referrers");
  });
}

// One referral waiting for review: the order, who referred, each rule's verdict with its evidence, and the decision.
export function reviewCard(r) {
  return `<article class="referral" data-id="${r.id}" aria-label="Referral ${esc(r.orderName || r.orderId)}">
    <div class="actions"><a href="#/referrals/${r.id}"><strong>${esc(r.orderName || r.orderId)}</strong></a> ${badge(r.status)}
    <span>${esc(r.friendEmail || "guest")} via <strong>${esc(r.code)}</strong>
    (<a href="#/referrers/${r.referrerId}">${esc(personName(r.referrerFirstName, r.referrerLastName, r.referrerEmail))}</a>) · ${money(r.orderSubtotal, r.currency)} · ${date(r.createdAt)}</span></div>
    <div class="muted">${esc(r.statusReason)}</div>
    <ul class="rules">${r.checks.map((c) => `<li>${badge(c.outcome, `${ruleLabel(c.rule)}: ${c.outcome}`)} <span class="evidence">${esc(c.evidence)}</span></li>`).join("")}</ul>
    <div class="actions"><button type="button" data-approve="${r.id}">Approve</button>
    <label>Reason to reject <input data-reason="${r.id}"></label><button type="button" class="danger" data-reject="${r.id}">Reject</button></div></article>`;
}

export async function loadQueue() {
  await section([$("#queue")], async () => {
    const rows = await api("/referrals?status=review");
    $("#queue-count").textContent = rows.length ? `${rows.length} waiting` : "";
    $("#queue").innerHTML = rows.length ? rows.map(reviewCard).join("")
      : empty("No referral waits for review.", "Referrals a fraud rule holds (same address, a burst of orders, a reused card) wait here for your decision.");
  });
}

// codeState says whether checkout takes the code: blocking switches it off in Shopify in the background, so it reads
// "deactivating" until Shopify confirmed ("inactive"), and "activating" after an unblock until it is "active" again.
const codeTones = { active: "success", failed: "critical", inactive: "", pending: "attention", activating: "attention", deactivating: "attention" };
export const codeState = (r) =>
  `<span class="badge code-state" data-state="${esc(r.codeState)}"${codeTones[r.codeState] ? ` data-tone="${codeTones[r.codeState]}"` : ""} title="${esc(r.codeError || "")}">${esc(r.codeState)}</span>`;

export function blockControls(r) {
  return r.blocked
    ? `<span class="muted">${esc(r.blockedReason)}</span> <button type="button" class="secondary" data-unblock="${r.id}">Unblock</button>`
    : `<label>Reason to block <input data-block-reason="${r.id}"></label> <button type="button" class="danger" data-block="${r.id}">Block</button>`;
}

export async function loadReferrers() {
  const q = new FormData($("#ref-search")).get("q") || "";
  await section([$("#referrers")], async () => {
    const rows = await api(`/referrers?limit=50${q ? `&q=${encodeURIComponent(q)}` : ""}`);
    $("#referrers").innerHTML = table(rows, [
      { h: "Referrer", html: true, v: (r) => `<a href="#/referrers/${r.id}">${esc(personName(r.firstName, r.lastName, r.email))}</a>` }, { h: "Code", v: (r) => r.code },
      { h: "Code state", html: true, v: codeState },
      { h: "Referrals", v: (r) => num(r.referrals), num: true },
      { h: "", sr: "Block or unblock", html: true, v: (r) => `<div class="actions">${blockControls(r)}</div>` }],
    q ? empty(`No referrer matches “${q}”.`, "Search by email, first or last name, or code; clear the box to see everyone.")
      : empty("No referrers yet.", "Customers join from the referral page in your store or the thank-you page after an order; you can also enrol them with POST /api/referrers."),
    "Referrers");
  });
}

export async function loadUnused() {
  await section([$("#unused")], async () => {
    const rows = await api(`/rewards/unused?days=${Number($("#unused-days").value) || 0}`);
    $("#unused").innerHTML = table(rows, [
      { h: "Customer", v: (w) => personName(w.firstName, w.lastName, w.email) }, { h: "Email", v: (w) => w.email },
      { h: "Reward", v: rewardWords }, { h: "Issued", v: (w) => date(w.issuedAt) }, { h: "Expires", v: (w) => date(w.expiresAt) }],
    empty("Every reward is used or still fresh.", "Rewards left unused this long show up here, so you can remind those customers before they expire."), "Unused rewards");
  });
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

export async function loadFailed() {
  await section([$("#failed")], async () => {
    const rows = await api("/webhooks/failed");
    $("#failed").innerHTML = table(rows, [
      { h: "Topic", v: (w) => w.topic }, { h: "Received", v: (w) => day(w.receivedAt) }, { h: "Error", html: true, v: (w) => errorCell(w.lastError) },
      { h: "", sr: "Replay", html: true, v: (w) => `<button type="button" class="secondary" data-replay="${w.id}">Replay</button>` }],
    empty("No failed webhooks.", "Shopify's deliveries that failed after every retry appear here with their error and a Replay button."), "Failed webhooks");
  });
}

// The referrer view (#/referrers/{id}: their referrals with the rules' evidence, rewards, block/unblock) and the
// referral view (#/referrals/{id}: each rule's decision and evidence, the order, the history, approve/reject).
import { api } from "./api.js";
import { codeState, blockControls } from "./home.js";
import { esc, money, num, date, dateTime, badge, empty, table, personName, rewardWords, ruleLabel, statusLabel } from "./format.js";

// The data: the referrer's row from the search (its counts and code state), their referrals by GET
// /api/referrals?referrerId= (rule evidence included), and one referral by GET /api/referrals/{id} (404 "No referral
// {id} in this shop." from the API itself). Rewards have no referrer filter yet: the first 1000, filtered here.
async function referrerOf(id) {
  const r = (await api("/referrers?limit=500")).find((x) => x.id === id);
  if (!r) throw Object.assign(new Error(`No referrer ${id} in this shop.`), { status: 404 });
  const [referrals, rewards] = await Promise.all([api(`/referrals?referrerId=${id}&limit=500`), api("/rewards?limit=1000")]);
  return { ...r, referrals, rewards: rewards.filter((w) => w.referrerId === id) };
}

const referralOf = (id) => api(`/referrals/${id}`);

const facts = (pairs) => `<dl class="facts">${pairs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join("")}</dl>`;
const header = (title, badges, sub) => `<a class="back" href="#/">← Referrals dashboard</a>
  <div class="page-header"><h1 tabindex="-1">${esc(title)} ${badges}</h1></div>${sub ? `<p class="muted">${esc(sub)}</p>` : ""}`;

// What the rules found, in a line: the ones that did not simply pass, or that all passed.
function evidenceLine(r) {
  const flagged = (r.checks || []).filter((c) => c.outcome !== "pass");
  if (!r.checks?.length) return `<span class="muted">Not judged yet</span>`;
  return flagged.length ? flagged.map((c) => `${badge(c.outcome, `${ruleLabel(c.rule)}: ${c.outcome}`)} <span class="evidence">${esc(c.evidence)}</span>`).join("<br>")
    : `<span class="muted">All ${num(r.checks.length)} rules passed</span>`;
}

export async function renderReferrer(el, id) {
  const r = await referrerOf(id);
  const name = personName(r.firstName, r.lastName, r.email);
  document.title = `${name} · Referrals`;
  el.innerHTML = `${header(name, `${r.blocked ? badge("rejected", "Blocked") : ""} ${codeState(r)}`, "")}
  <div class="two-up">
    <section aria-labelledby="rv-details-h"><h2 id="rv-details-h">Referrer</h2>${facts([
      ["Email", esc(r.email || "–")], ["Shopify customer", esc(r.customerId)], ["Code", `<strong>${esc(r.code)}</strong>`],
      ["Enrolled", esc(date(r.enrolledAt))], ["Referrals", esc(num(r.referrals.length))], ["Rewarded", esc(num(r.referrals.filter((x) => x.status === "rewarded").length))]])}</section>
    <section aria-labelledby="rv-block-h"><h2 id="rv-block-h">${r.blocked ? "Blocked" : "Block this referrer"}</h2>
      <p class="muted">${r.blocked ? "Their code does not work at checkout and their new referrals are rejected. Unblocking turns the code back on in Shopify."
        : "Blocking switches their code off in Shopify and rejects their new referrals; their past rewards stay as they are."}</p>
      <div class="actions" id="rv-block">${blockControls(r)}</div></section>
  </div>
  <section aria-labelledby="rv-referrals-h"><h2 id="rv-referrals-h">Referrals</h2><div id="rv-referrals">${table(r.referrals, [
    { h: "Order", html: true, v: (x) => `<a href="#/referrals/${x.id}">${esc(x.orderName || x.orderId)}</a>` },
    { h: "Friend", v: (x) => x.friendEmail || "guest" }, { h: "Status", html: true, v: (x) => badge(x.status) },
    { h: "Subtotal", v: (x) => money(x.orderSubtotal, x.currency), num: true }, { h: "Date", v: (x) => date(x.createdAt) },
    { h: "Evidence", html: true, v: evidenceLine }],
  empty("No referrals yet.", `Friends who order with ${r.code} appear here. Remind ${name} to share their link.`), "Referrals")}</div></section>
  <section aria-labelledby="rv-rewards-h"><h2 id="rv-rewards-h">Rewards</h2><div id="rv-rewards">${table(r.rewards, [
    { h: "Reward", v: rewardWords }, { h: "Status", html: true, v: (w) => badge(w.status) },
    { h: "Issued", v: (w) => date(w.issuedAt) }, { h: "Expires", v: (w) => date(w.expiresAt) }, { h: "Used", v: (w) => date(w.redeemedAt) }],
  empty("No rewards yet.", "A reward is issued once a referred order passes the rules and its hold is over."), "Rewards")}</div></section>`;
}

export async function renderReferral(el, id, given) {
  const r = given ?? await referralOf(id);
  const order = r.orderName || String(r.orderId);
  document.title = `Referral ${order} · Referrals`;
  const decide = r.status === "review"
    ? `<p class="muted">A rule held this referral. Approving puts it back on its hold and the reward follows; rejecting is final.</p>
      <div class="actions"><button type="button" data-approve="${r.id}">Approve</button>
      <label>Reason to reject <input data-reason="${r.id}"></label><button type="button" class="danger" data-reject="${r.id}">Reject</button></div>`
    : `<p class="muted">${esc(statusLabel(r.status))}: only referrals that need review can be approved or rejected here.</p>`;
  el.innerHTML = `${header(`Referral ${order}`, badge(r.status), r.statusReason)}
  <section aria-labelledby="fv-decide-h" id="fv-decide"><h2 id="fv-decide-h">Decision</h2>${decide}</section>
  <div class="two-up">
    <section aria-labelledby="fv-order-h"><h2 id="fv-order-h">Order</h2>${facts([
      ["Order", `${esc(order)} <span class="muted">(${esc(r.orderId)})</span>`], ["Subtotal", esc(money(r.orderSubtotal, r.currency))],
      ["Friend", esc(r.friendEmail || "guest") + (r.friendCustomerId ? ` <span class="muted">(customer ${esc(r.friendCustomerId)})</span>` : "")],
      ["Placed", esc(dateTime(r.createdAt))], ["Paid", esc(dateTime(r.paidAt))], ["Hold until", esc(dateTime(r.holdUntil))], ["Program", `version ${esc(r.programVersion)}`]])}</section>
    <section aria-labelledby="fv-referrer-h"><h2 id="fv-referrer-h">Referrer</h2>${facts([
      ["Name", `<a href="#/referrers/${r.referrerId}">${esc(personName(r.referrerFirstName, r.referrerLastName, r.referrerEmail))}</a>`],
      ["Email", esc(r.referrerEmail || "–")], ["Code", `<strong>${esc(r.code)}</strong>`]])}</section>
  </div>
  <section aria-labelledby="fv-rules-h"><h2 id="fv-rules-h">Rules</h2>${r.checks.length
    ? `<ul class="rules" id="fv-rules">${r.checks.map((c) => `<li>${badge(c.outcome, `${ruleLabel(c.rule)}: ${c.outcome}`)} <span class="evidence">${esc(c.evidence)}</span></li>`).join("")}</ul>`
    : empty("No rule has judged this referral yet.", "The rules run when the order is paid; their outcome and evidence show here.")}</section>
  <section aria-labelledby="fv-history-h"><h2 id="fv-history-h">History</h2>${table(r.decisions || [], [
    { h: "When", v: (d) => dateTime(d.at) }, { h: "Who", v: (d) => d.actor }, { h: "What", v: (d) => d.action },
    { h: "Status", html: true, v: (d) => badge(d.status) }, { h: "Why", v: (d) => d.reason || "" }],
  empty("No decision yet.", "Each status change is recorded here: who decided, when and why."), "Decision history")}</section>`;
}

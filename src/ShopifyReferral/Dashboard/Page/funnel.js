// The program's headline KPIs and the referral funnel (README, "KPIs" and "The funnel"): who saw the program, shared,
// brought an order, earned a reward. Every figure comes from GET /api/analytics as it is; only the words are added here.
import { card, empty, esc, money, num, pct, plural, table } from "./format.js";

// The three KPIs the best programs show, as cards beside the other results.
export function programKpis(k, currency) {
  return [
    card("New customers by referral", pct(k.newCustomersReferredShare), `${num(k.newCustomersReferred)} of ${plural(k.newCustomers, "new customer")}`,
      { title: "New customers whose first order was referred ÷ all new customers in the range × 100." }),
    card("Friends who became referrers", pct(k.friendsWhoBecameReferrersShare), `${num(k.friendsWhoBecameReferrers)} of ${plural(k.newCustomersReferred, "referred friend")}`,
      { title: "New customers whose first order was referred and who joined the program before the range ended ÷ those new customers × 100." }),
    card("Referral AOV vs store", pct(k.aovReferredVsStore), `${money(k.aovReferred, currency)} vs ${money(k.aovStore, currency)}`,
      { note: "above 100 %: referred orders are larger", title: "Average referred order ÷ average order of the store × 100." }),
  ];
}

// Each surface and channel in the merchant's words.
const surfaces = { referral_page: "Referral page", thank_you: "Thank-you page", account: "Account page" };
const channels = {
  email: "Email", sms: "SMS", whatsapp: "WhatsApp", facebook: "Facebook", x: "X", copy: "Copied link",
  direct: "Link without a channel", other: "Other link", code: "Code typed at checkout", unknown: "Before channels were recorded",
};
export const channelLabel = (c) => channels[c] ?? c;

export function renderFunnel(el, f) {
  const views = Object.entries(f.pageViewsBySurface).map(([s, n]) => card(surfaces[s] ?? s, num(n), "views"));
  const steps = `<div class="cards funnel-steps">${[
    card("Page views", num(f.pageViews), "referral, thank-you and account pages"),
    card("Share clicks", num(f.total.shareClicks), "tracked link clicks"),
    card("Referred orders", num(f.total.referredOrders), `${pct(f.total.conversionRate)} of clicks`),
    card("Rewarded referrals", num(f.total.rewardedReferrals), `${pct(f.total.rewardedRate)} of referred orders`),
    ...views].join("")}</div>`;
  const rows = f.channels.length ? [...f.channels, { ...f.total, channel: "all" }] : [];
  el.innerHTML = steps + table(rows, [
    { h: "Channel", html: true, v: (c) => c.channel === "all" ? "<strong>All channels</strong>" : esc(channelLabel(c.channel)) },
    { h: "Share clicks", v: (c) => num(c.shareClicks), num: true },
    { h: "Referred orders", v: (c) => num(c.referredOrders), num: true },
    { h: "Conversion", v: (c) => pct(c.conversionRate), num: true },
    { h: "Rewarded", v: (c) => num(c.rewardedReferrals), num: true },
    { h: "Rewarded of orders", v: (c) => pct(c.rewardedRate), num: true }],
  empty("No clicks or referred orders in this range.", "Channels appear here once shoppers click a referrer's share link or friends order with a code."), "Funnel by channel");
}

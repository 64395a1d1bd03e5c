// Charts drawn as SVG by hand: grouped bars and lines, each series named in words in the legend and the tooltips,
// coloured by a CSS class (.s0, .s1, .s2: Polaris colours in dashboard.css).
import { esc, day, money, num } from "./format.js";

// What each series of GET /api/analytics is, in the merchant's words.
export const seriesLabels = {
  orders: "All orders", referredOrders: "Referred orders",
  revenue: "Revenue", referredRevenue: "Referred revenue", rewardCost: "Reward cost",
};
const label = (k) => seriesLabels[k] ?? k;
const tick = (s) => day(Date.parse(s.start)).slice(5);

function legend(keys) {
  return `<ul class="legend">${keys.map((k, j) => `<li><i class="s${j}" aria-hidden="true"></i>${esc(label(k))}</li>`).join("")}</ul>`;
}

// The figure's text alternative: totals per series over the range, so a screen reader gets the gist without the bars.
function summary(series, keys, fmt) {
  return keys.map((k) => `${label(k)}: ${fmt(series.reduce((t, s) => t + Number(s[k] || 0), 0))}`).join("; ");
}

export function bars(el, title, series, keys) {
  const w = 520, h = 200, pad = 28, n = series.length || 1, max = Math.max(1, ...series.flatMap((s) => keys.map((k) => s[k])));
  const bw = (w - pad * 2) / n, inner = bw * 0.8 / keys.length;
  let svg = `<svg viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(`${title}. ${summary(series, keys, num)}`)}">`;
  svg += `<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" class="axis"/><text x="2" y="${pad}">${num(max)}</text><text x="2" y="${h - pad}">0</text>`;
  series.forEach((s, i) => {
    keys.forEach((k, j) => {
      const bh = (h - pad * 2) * s[k] / max;
      svg += `<rect class="s${j}" x="${pad + i * bw + bw * 0.1 + j * inner}" y="${h - pad - bh}" width="${Math.max(inner - 1, 1)}" height="${bh}"><title>${day(Date.parse(s.start))} ${esc(label(k))}: ${num(s[k])}</title></rect>`;
    });
    if (n <= 14 || i % Math.ceil(n / 10) === 0) svg += `<text x="${pad + i * bw + bw / 2}" y="${h - 8}" text-anchor="middle">${tick(s)}</text>`;
  });
  el.innerHTML = `<figcaption>${esc(title)}</figcaption>${svg}</svg>${legend(keys)}`;
}

export function lines(el, title, series, keys, currency) {
  const fmt = (v) => money(v, currency);
  const w = 520, h = 200, pad = 44, n = Math.max(series.length - 1, 1), max = Math.max(1, ...series.flatMap((s) => keys.map((k) => Number(s[k]))));
  const x = (i) => pad + (w - pad * 2) * i / n, y = (v) => h - pad - (h - pad * 2) * v / max;
  let svg = `<svg viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(`${title}. ${summary(series, keys, fmt)}`)}"><line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" class="axis"/>`;
  svg += `<text x="2" y="${pad}">${esc(fmt(Math.round(max)))}</text><text x="2" y="${h - pad}">0</text>`;
  keys.forEach((k, j) => {
    svg += `<polyline class="s${j}" fill="none" stroke-width="2" points="${series.map((s, i) => `${x(i)},${y(Number(s[k]))}`).join(" ")}"><title>${esc(label(k))}</title></polyline>`;
  });
  series.forEach((s, i) => { if (series.length <= 14 || i % Math.ceil(series.length / 10) === 0) svg += `<text x="${x(i)}" y="${h - 8}" text-anchor="middle">${tick(s)}</text>`; });
  el.innerHTML = `<figcaption>${esc(title)}</figcaption>${svg}</svg>${legend(keys)}`;
}

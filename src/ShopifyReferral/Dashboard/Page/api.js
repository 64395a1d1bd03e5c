// The dashboard's calls to /api: a fresh session token on each (they live one minute), one re-authorization when the
// shop's offline token is gone, and ProblemDetails turned into a readable error.
export const shop = document.body.dataset.shop;

// Tests set window.shopifyReferralToken; inside the Shopify admin App Bridge supplies it; in sandbox mode the app
// mints one for the demo shop.
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

export async function api(path, options = {}, retried = false) {
  const res = await fetch(`/api${path}`, { ...options, headers: { ...(options.headers || {}), Authorization: `Bearer ${await token()}`, "Content-Type": "application/json" } });
  if (res.status === 401 && !retried && (await res.clone().json().catch(() => ({}))).type === "https://shopifyreferral.dev/problems/reauthorize") {
    await reauthorize();
    return api(path, options, true);
  }
  if (!res.ok) {
    const problem = await res.json().catch(() => ({}));
    const fields = problem.errors ? " " + Object.entries(problem.errors).map(([k, v]) => `${k}: ${v.join(" ")}`).join("; ") : "";
    const error = new Error((problem.detail || problem.title || res.statusText) + fields);
    error.status = res.status;
    throw error;
  }
  return res.headers.get("content-type")?.includes("json") ? res.json() : res;
}

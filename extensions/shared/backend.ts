// The app's backend as the extensions see it. They run in a worker on Shopify's origin and reach the app with
// fetch (network_access) and a session token; nothing here may assume cookies or the app's origin.

/** The app's public URL (Shopify:AppUrl). Set it before `shopify app deploy`; see the README. */
export const DEPLOYED_APP_URL = "https://referrals.example.com";

export type ShareChannel = { channel: string; label: string; url: string };

/** POST /extensions/referral. show = false means the block renders nothing (reason says why). */
export type ThankYouAnswer = {
  show: boolean;
  reason?: string | null;
  code?: string;
  shareUrl?: string;
  headline?: string;
  offer?: string;
  channels?: ShareChannel[];
  joinedThroughFriend?: boolean;
  codeReady?: boolean;
};

export type AccountReferral = { orderName?: string | null; status: string; holdUntil?: string | null; createdAt: string };
export type AccountReward = { description: string; code?: string | null; status: string; expiresAt?: string | null; createdAt: string };

/** GET /extensions/referrer. */
export type ReferrerAnswer = {
  enrolled: boolean;
  programOn: boolean;
  headline?: string | null;
  offer?: string | null;
  join?: string | null;
  code?: string | null;
  shareUrl?: string | null;
  channels?: ShareChannel[] | null;
  blocked?: boolean;
  referrals?: AccountReferral[] | null;
  rewards?: AccountReward[] | null;
};

// The sandbox preview page (and the tests) point the extension at the app they run beside and give it a root to
// render into; in Shopify neither is set.
type Hooks = { shopifyReferralAppUrl?: string; shopifyReferralRoot?: Element };
const hooks = globalThis as Hooks;

export const appUrl = (): string => (hooks.shopifyReferralAppUrl ?? DEPLOYED_APP_URL).replace(/\/+$/, "");

export const renderRoot = (): Element => hooks.shopifyReferralRoot ?? document.body;

/** Calls the backend with the session token; any answer but 2xx is an error, so the caller can show nothing. */
export async function callBackend<T>(path: string, token: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(appUrl() + path, {
    method: body === undefined ? "GET" : "POST",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} answered HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** A day as the buyer reads it, e.g. 5 Dec 2026; the time of day is noise here. */
export const day = (iso: string): string =>
  new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

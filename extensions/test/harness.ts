import { render } from "preact";
import { vi } from "vitest";

export const APP = "https://app.test";
export const TOKEN = "header.claims.signature";

type Call = { url: string; method: string; headers: Record<string, string>; body?: unknown };

/** Plays Shopify's runtime for one render: the target's api as the shopify global, and the app answering fetch. */
export function stubShopify(api: Record<string, unknown>, answer: { status?: number; json?: unknown }): Call[] {
  const calls: Call[] = [];
  render(null, document.body); // unmount the previous test's tree, so each render starts afresh
  document.body.innerHTML = "";
  (globalThis as Record<string, unknown>).shopify = { sessionToken: { get: async () => TOKEN }, ...api };
  (globalThis as Record<string, unknown>).shopifyReferralAppUrl = APP;
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    calls.push({
      url,
      method: init.method ?? "GET",
      headers: init.headers as Record<string, string>,
      body: init.body ? JSON.parse(init.body as string) : undefined,
    });
    return new Response(JSON.stringify(answer.json ?? {}), { status: answer.status ?? 200, headers: { "Content-Type": "application/json" } });
  });
  return calls;
}

/** Waits until the effect's fetch has settled and Preact has re-rendered. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

export const text = (): string => (document.body.textContent ?? "").replace(/\s+/g, " ").trim();

export const button = (channel: string): Element | null => document.querySelector(`s-button[data-channel="${channel}"]`);

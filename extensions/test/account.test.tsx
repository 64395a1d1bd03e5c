import { beforeEach, describe, expect, it, vi } from "vitest";
import run from "../referral-account/src/ReferrerPage";
import { APP, TOKEN, button, settle, stubShopify, text } from "./harness";

const api = { extension: { target: "customer-account.page.render" } };
const link = (ch: string) => `${APP}/r/SAM-7Q2K?ch=${ch}&s=demo-shop`;

const referrer = {
  enrolled: true,
  programOn: true,
  headline: "Give 10% off, get 10 USD off your next order",
  offer: "Your friend gets 10% off with your code.",
  code: "SAM-7Q2K",
  shareUrl: link("copy"),
  channels: [
    { channel: "copy", label: "Copy link", url: link("copy") },
    { channel: "whatsapp", label: "WhatsApp", url: `https://wa.me/?text=${encodeURIComponent(link("whatsapp"))}` },
  ],
  blocked: false,
  referrals: [
    { orderName: "#1002", status: "pending", holdUntil: "2026-12-06T12:00:00.000Z", createdAt: "2026-11-22T12:00:00.000Z" },
    { orderName: "#1001", status: "rewarded", holdUntil: null, createdAt: "2026-11-01T12:00:00.000Z" },
  ],
  rewards: [
    { description: "10 USD off your next order", code: "THANKS-AB12", status: "issued", expiresAt: "2027-02-20T12:00:00.000Z", createdAt: "2026-11-20T12:00:00.000Z" },
    { description: "10 USD off your next order", code: null, status: "owed", expiresAt: null, createdAt: "2026-11-21T12:00:00.000Z" },
    { description: "10 USD off your next order", code: "THANKS-OLD1", status: "redeemed", expiresAt: null, createdAt: "2026-10-01T12:00:00.000Z" },
    { description: "10 USD off your next order", code: null, status: "expired", expiresAt: "2026-10-30T12:00:00.000Z", createdAt: "2026-08-01T12:00:00.000Z" },
    { description: "10 USD off your next order", code: null, status: "clawed_back", expiresAt: null, createdAt: "2026-09-01T12:00:00.000Z" },
  ],
};

describe("referrer's page in customer accounts", () => {
  beforeEach(() => vi.spyOn(console, "warn").mockImplementation(() => {}));

  it("shows the code, link, friends who ordered with what is on hold, and every reward's status", async () => {
    const calls = stubShopify(api, { json: referrer });
    await run();
    await settle();

    expect(calls[0]).toMatchObject({ url: `${APP}/extensions/referrer`, method: "GET" });
    expect(calls[0].headers.Authorization).toBe(`Bearer ${TOKEN}`);
    expect(text()).toContain("SAM-7Q2K");
    expect(decodeURIComponent(button("whatsapp")!.getAttribute("href")!)).toContain("ch=whatsapp");
    expect(text()).toContain("#1002 on 22 Nov 2026: on hold until 6 Dec 2026");
    expect(text()).toContain("#1001 on 1 Nov 2026: rewarded");
    const rewards = document.querySelector("#rewards")!.textContent!;
    expect(rewards).toContain("code THANKS-AB12, use it by 20 Feb 2027");
    expect(rewards).toContain("being issued");
    expect(rewards).toContain("used");
    expect(rewards).toContain("expired");
    expect(rewards).toContain("withdrawn");
  });

  it("tells a customer who is not a referrer yet how to join", async () => {
    stubShopify(api, { json: { enrolled: false, programOn: true, headline: "Give 10% off", join: "Log in to your account and press \"Join\"." } });
    await run();
    await settle();
    expect(document.querySelector("#not-enrolled")?.textContent).toContain("press \"Join\"");
    expect(document.querySelector("s-clipboard-item")).toBeNull();
  });

  it("keeps a blocked referrer's history but offers nothing to share", async () => {
    stubShopify(api, { json: { ...referrer, blocked: true, shareUrl: null, channels: [] } });
    await run();
    await settle();
    expect(text()).toContain("Your referral link is paused");
    expect(document.querySelector("s-clipboard-item")).toBeNull();
    expect(text()).toContain("#1001");
  });

  it("says so when the referrals cannot be loaded", async () => {
    stubShopify(api, { status: 401, json: {} });
    await run();
    await settle();
    expect(document.querySelector("#load-error")?.textContent).toContain("couldn't load your referrals");
  });
});

import { beforeEach, describe, expect, it, vi } from "vitest";
import run from "../referral-thank-you/src/ThankYou";
import { APP, TOKEN, button, settle, stubShopify, text } from "./harness";

const ORDER = "gid://shopify/Order/5893217321195";
const thankYouApi = { extension: { target: "purchase.thank-you.block.render" }, orderConfirmation: { value: { order: { id: ORDER }, isFirstOrder: true } } };
const orderStatusApi = { extension: { target: "customer-account.order-status.block.render" }, order: { value: { id: ORDER, name: "#1001" } } };

const link = (ch: string) => `${APP}/r/SAM-7Q2K?ch=${ch}&s=demo-shop`;
const enrolled = {
  show: true,
  code: "SAM-7Q2K",
  shareUrl: link("copy"),
  headline: "Give 10% off, get 10 USD off your next order",
  offer: "Your friend gets 10% off with your code.",
  channels: [
    { channel: "copy", label: "Copy link", url: link("copy") },
    { channel: "whatsapp", label: "WhatsApp", url: `https://wa.me/?text=${encodeURIComponent(link("whatsapp"))}` },
    { channel: "email", label: "Email", url: `mailto:?body=${encodeURIComponent(link("email"))}` },
    { channel: "x", label: "X", url: `https://x.com/intent/post?url=${encodeURIComponent(link("x"))}` },
    { channel: "facebook", label: "Facebook", url: `https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(link("facebook"))}` },
  ],
  joinedThroughFriend: false,
  codeReady: true,
};

describe("thank-you and order-status block", () => {
  beforeEach(() => vi.spyOn(console, "warn").mockImplementation(() => {}));

  it("shows an enrolled buyer their code, link and one button per channel, each tracked", async () => {
    const calls = stubShopify(thankYouApi, { json: enrolled });
    await run();
    await settle();

    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ url: `${APP}/extensions/referral`, method: "POST", body: { orderId: ORDER } });
    expect(calls[0].headers.Authorization).toBe(`Bearer ${TOKEN}`);
    expect(text()).toContain("SAM-7Q2K");
    expect(text()).toContain("Your friend gets 10% off with your code.");
    expect(text()).toContain("Give 10% off, get 10 USD off your next order");
    expect(document.querySelector("s-clipboard-item")?.getAttribute("text")).toBe(link("copy"));
    expect(button("copy")?.getAttribute("commandFor") ?? button("copy")?.getAttribute("commandfor")).toBe("referral-link-copy");
    for (const ch of ["whatsapp", "email", "x", "facebook"]) expect(decodeURIComponent(button(ch)!.getAttribute("href")!)).toContain(`ch=${ch}`);
    expect(document.querySelector("#thanks-friend")).toBeNull();
  });

  it("thanks a buyer whose own order came through a friend's code, and says when the code is still being set up", async () => {
    stubShopify(thankYouApi, { json: { ...enrolled, joinedThroughFriend: true, codeReady: false } });
    await run();
    await settle();
    expect(text()).toContain("Thanks for joining us through a friend!");
    expect(text()).toContain("works within a few minutes");
  });

  it("renders on the order-status page from the order it shows", async () => {
    const calls = stubShopify(orderStatusApi, { json: enrolled });
    await run();
    await settle();
    expect(calls[0].body).toEqual({ orderId: ORDER });
    expect(text()).toContain("SAM-7Q2K");
  });

  it("renders nothing for a guest", async () => {
    stubShopify(thankYouApi, { json: { show: false, reason: "guest" } });
    await run();
    await settle();
    expect(document.body.innerHTML).toBe("");
  });

  it("renders nothing for a buyer who is not eligible yet (paying customers only, order unpaid)", async () => {
    stubShopify(thankYouApi, { json: { show: false, reason: "not_paid" } });
    await run();
    await settle();
    expect(document.body.innerHTML).toBe("");
  });

  it("renders nothing, and keeps the page working, when the app answers an error", async () => {
    stubShopify(thankYouApi, { status: 503, json: { type: "https://shopifyreferral.dev/problems/shopify-unavailable" } });
    await run();
    await settle();
    expect(document.body.innerHTML).toBe("");
    expect(console.warn).toHaveBeenCalled();
  });
});

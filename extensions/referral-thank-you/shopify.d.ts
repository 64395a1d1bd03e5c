// The shopify global of this extension's two targets, declared for its module as the Shopify CLI generates it.
import "@shopify/ui-extensions";

//@ts-ignore
declare module "./src/ThankYou.tsx" {
  const shopify:
    | import("@shopify/ui-extensions/purchase.thank-you.block.render").Api
    | import("@shopify/ui-extensions/customer-account.order-status.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}

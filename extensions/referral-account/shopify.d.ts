// The shopify global of the full-page target, declared for its module as the Shopify CLI generates it.
import "@shopify/ui-extensions";

//@ts-ignore
declare module "./src/ReferrerPage.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.page.render").Api;
  const globalThis: { shopify: typeof shopify };
}

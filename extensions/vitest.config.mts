import { defineConfig } from "vitest/config";

// Each target renders into happy-dom with a stubbed shopify global: the s-* elements are plain unknown elements
// there, which is enough to read what the buyer would see and which links the buttons carry.
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  test: { environment: "happy-dom", include: ["test/**/*.test.tsx"] },
});

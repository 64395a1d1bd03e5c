import type { ShareChannel } from "./backend";

type Props = { code: string; shareUrl: string; channels: ShareChannel[]; codeReady: boolean };

/**
 * The buyer's code and link with one-tap share. Copy uses the platform's clipboard item (the extension's worker has
 * no clipboard of its own); every other button opens its channel's share URL, which carries ?ch= for /r/ tracking.
 */
export function Share({ code, shareUrl, channels, codeReady }: Props) {
  const copy = channels.find((c) => c.channel === "copy")?.url ?? shareUrl;
  return (
    <s-stack gap="small">
      <s-text>Your code</s-text>
      <s-text type="strong" id="referral-code">{code}</s-text>
      {!codeReady && <s-text color="subdued">Your code is being set up in the shop and works within a few minutes.</s-text>}
      <s-text color="subdued" id="referral-link">{shareUrl}</s-text>
      <s-clipboard-item id="referral-link-copy" text={copy}></s-clipboard-item>
      <s-stack direction="inline" gap="small">
        <s-button command="--copy" commandFor="referral-link-copy" data-channel="copy">Copy link</s-button>
        {channels
          .filter((c) => c.channel !== "copy")
          .map((c) => (
            <s-button key={c.channel} href={c.url} target="_blank" data-channel={c.channel}>
              {c.label}
            </s-button>
          ))}
      </s-stack>
    </s-stack>
  );
}

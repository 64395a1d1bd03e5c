import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { callBackend, day, renderRoot, type AccountReferral, type AccountReward, type ReferrerAnswer } from "../../shared/backend";
import { Share } from "../../shared/Share";

// The referrer's page in customer accounts: where a referrer can always find their code, link and rewards.
export default async () => {
  render(<ReferrerPage />, renderRoot());
};

type State = { answer?: ReferrerAnswer; failed?: boolean };

function ReferrerPage() {
  const [state, setState] = useState<State>({});
  useEffect(() => {
    shopify.sessionToken
      .get()
      .then((token) => callBackend<ReferrerAnswer>("/extensions/referrer", token))
      .then((answer) => setState({ answer }))
      .catch((error: unknown) => {
        console.warn("referrer page:", error);
        setState({ failed: true });
      });
  }, []);

  const { answer, failed } = state;
  return (
    <s-page heading="Refer a friend">
      {failed && <s-banner tone="critical" id="load-error">We couldn't load your referrals just now. Please try again in a moment.</s-banner>}
      {!answer && !failed && <s-spinner accessibilityLabel="Loading your referrals"></s-spinner>}
      {answer && <Content answer={answer} />}
    </s-page>
  );
}

function Content({ answer }: { answer: ReferrerAnswer }) {
  if (!answer.enrolled)
    return (
      <s-section heading={answer.headline ?? "Referrals"}>
        <s-text id="not-enrolled">{answer.programOn ? answer.join : "The referral program is paused at the moment."}</s-text>
      </s-section>
    );
  return (
    <>
      <s-section heading={answer.headline ?? "Your code"}>
        {answer.blocked && <s-text id="paused">Your referral link is paused. Please contact the shop if you think this is a mistake.</s-text>}
        {!answer.blocked && !answer.programOn && <s-text id="paused">The referral program is paused: your rewards below still count.</s-text>}
        {answer.offer && <s-text>{answer.offer}</s-text>}
        {answer.shareUrl && answer.code && <Share code={answer.code} shareUrl={answer.shareUrl} channels={answer.channels ?? []} codeReady />}
      </s-section>
      <s-section heading="Friends who ordered">
        {(answer.referrals ?? []).length === 0 ? (
          <s-text color="subdued">No friends have ordered with your code yet.</s-text>
        ) : (
          <s-unordered-list id="referrals">
            {(answer.referrals ?? []).map((r, i) => (
              <s-list-item key={i}>{`${r.orderName ?? "An order"} on ${day(r.createdAt)}: ${referralStatus(r)}`}</s-list-item>
            ))}
          </s-unordered-list>
        )}
      </s-section>
      <s-section heading="Your rewards">
        {(answer.rewards ?? []).length === 0 ? (
          <s-text color="subdued">No rewards yet.</s-text>
        ) : (
          <s-unordered-list id="rewards">
            {(answer.rewards ?? []).map((r, i) => (
              <s-list-item key={i}>{`${r.description}: ${rewardStatus(r)}`}</s-list-item>
            ))}
          </s-unordered-list>
        )}
      </s-section>
    </>
  );
}

export function referralStatus(r: AccountReferral): string {
  switch (r.status) {
    case "pending":
      return r.holdUntil ? `on hold until ${day(r.holdUntil)} (the return window)` : "waiting for payment";
    case "review":
      return "being checked by the shop";
    case "approved":
      return "approved, reward on its way";
    case "rewarded":
      return "rewarded";
    case "rejected":
      return "not eligible";
    case "voided":
      return "cancelled (order refunded or cancelled)";
    default:
      return r.status;
  }
}

export function rewardStatus(r: AccountReward): string {
  switch (r.status) {
    case "owed":
      return "being issued";
    case "issued":
      return r.expiresAt ? `code ${r.code}, use it by ${day(r.expiresAt)}` : `code ${r.code}`;
    case "redeemed":
      return "used";
    case "expired":
      return "expired";
    case "clawed_back":
      return "withdrawn (the friend's order was refunded)";
    default:
      return "delayed: the shop has been told";
  }
}

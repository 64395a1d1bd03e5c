import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { callBackend, renderRoot, type ThankYouAnswer } from "../../shared/backend";
import { Share } from "../../shared/Share";

// One module for both targets: the thank-you page knows the order as orderConfirmation, the order-status page as order.
export default async () => {
  render(<ThankYou />, renderRoot());
};

export function orderId(): string | undefined {
  return "orderConfirmation" in shopify ? shopify.orderConfirmation.value.order.id : shopify.order.value?.id;
}

function ThankYou() {
  const [answer, setAnswer] = useState<ThankYouAnswer | null>(null);
  useEffect(() => {
    const id = orderId();
    if (!id) return;
    shopify.sessionToken
      .get()
      .then((token) => callBackend<ThankYouAnswer>("/extensions/referral", token, { orderId: id }))
      .then(setAnswer)
      // The buyer's page must never break: an unreachable app just means no block.
      .catch((error: unknown) => console.warn("referral block:", error));
  }, []);

  if (!answer?.show || !answer.code || !answer.shareUrl) return null;
  return (
    <s-section heading="Share with a friend">
      <s-stack gap="base">
        {answer.joinedThroughFriend && <s-text id="thanks-friend">Thanks for joining us through a friend! Now it's your turn to pass it on.</s-text>}
        <s-heading>{answer.headline}</s-heading>
        <s-text id="friend-offer">{answer.offer}</s-text>
        <Share code={answer.code} shareUrl={answer.shareUrl} channels={answer.channels ?? []} codeReady={answer.codeReady ?? false} />
      </s-stack>
    </s-section>
  );
}

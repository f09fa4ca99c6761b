// The measurement handle the review e2e test and benchmark read: for every review key that
// brings up another suggestion, the time from the keydown to that suggestion fully drawn (view
// settled, no visible tile pending, its mask on screen). Budget: p95 ≤ 100 ms.

export interface MicraReviewHook {
  readonly lastKeyToDrawnMs: number[];
  /** For decisions: key → the server's acknowledgement (the part of the above spent waiting for the log). */
  readonly keyToAckMs: number[];
  /** The item on screen ('suggestion:12'), or null; and whether it is fully drawn. */
  current(): { key: string | null; drawn: boolean; box: [number, number, number, number] | null };
  /** Decisions sent and not acknowledged yet. */
  inFlight(): number;
}

declare global {
  interface Window {
    __micraReview?: MicraReviewHook;
  }
}

export function installReviewHook(hook: MicraReviewHook): () => void {
  window.__micraReview = hook;
  return () => {
    if (window.__micraReview === hook) delete window.__micraReview;
  };
}

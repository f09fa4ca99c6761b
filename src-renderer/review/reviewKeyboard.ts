// Review keys on window, in the capture phase: they win over the viewer's own keys (arrows pan,
// Enter / Backspace finish or delete annotations) while review mode is on. Text fields keep
// their keys.
import type { ReviewCommand } from './reviewKeys';
import { reviewCommand } from './reviewKeys';

function isTextInput(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
}

/** `run` gets the command and the key's timestamp (performance.now() clock); return false to let the key through. */
export function attachReviewKeys(run: (c: ReviewCommand, timeStamp: number) => boolean): () => void {
  const key = (e: KeyboardEvent): void => {
    if (isTextInput(e.target)) return;
    const c = reviewCommand(e);
    if (!c) return;
    // A held key must not decide the next items unseen.
    const handled = e.repeat && c.kind === 'decide' ? true : run(c, e.timeStamp);
    if (!handled) return;
    e.preventDefault();
    e.stopImmediatePropagation();
  };
  window.addEventListener('keydown', key, true);
  return () => window.removeEventListener('keydown', key, true);
}

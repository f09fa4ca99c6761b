// The review queue as the UI keeps it between server round trips: items in review order, merged
// with streamed suggestions and decisions, and which item to show after a decision. Pure.
import { itemKey } from './reviewOverlay';
import type { ReviewItem, SuggestionsEvent } from './reviewTypes';

export type QueueOrder = 'score' | 'spatial';

function byScore(a: ReviewItem, b: ReviewItem): number {
  return (b.score ?? -1) - (a.score ?? -1) || a.id - b.id;
}

/** Replaces an item (same kind and id) in place, or inserts it (by score; at the end in spatial order). */
export function upsertItem(items: readonly ReviewItem[], item: ReviewItem, order: QueueOrder): ReviewItem[] {
  const key = itemKey(item);
  const at = items.findIndex((i) => itemKey(i) === key);
  if (at >= 0) {
    const out = items.slice();
    out[at] = item;
    return out;
  }
  if (order === 'spatial') return [...items, item];
  const out = items.slice();
  const before = out.findIndex((i) => byScore(item, i) < 0);
  out.splice(before < 0 ? out.length : before, 0, item);
  return out;
}

/** Streamed sweep results: new suggestions queued, merged ones replaced, merged-away ones dropped. */
export function applySuggestions(items: readonly ReviewItem[], e: SuggestionsEvent, order: QueueOrder): ReviewItem[] {
  const removed = new Set(e.removed.map((id) => `suggestion:${id}`));
  let out = items.filter((i) => !removed.has(itemKey(i)));
  for (const item of [...e.updated, ...e.added]) out = upsertItem(out, item, order);
  return out;
}

/**
 * The item to show after deciding on `fromKey`: the next pending item after it in queue order
 * (wrapping around), else the first one set aside for later, else null (all decided).
 */
export function nextToReview(items: readonly ReviewItem[], fromKey: string | null): ReviewItem | null {
  const start = fromKey === null ? -1 : items.findIndex((i) => itemKey(i) === fromKey);
  for (let k = 1; k <= items.length; k++) {
    const item = items[(start + k + items.length) % items.length];
    if (item && item.state === 'pending' && itemKey(item) !== fromKey) return item;
  }
  return items.find((i) => i.state === 'later' && itemKey(i) !== fromKey) ?? null;
}

/** The neighbour `step` places away from `fromKey` (any state), clamped to the queue. */
export function neighbour(items: readonly ReviewItem[], fromKey: string | null, step: 1 | -1): ReviewItem | null {
  if (items.length === 0) return null;
  const at = fromKey === null ? -1 : items.findIndex((i) => itemKey(i) === fromKey);
  if (at < 0) return items[step > 0 ? 0 : items.length - 1] ?? null;
  return items[Math.min(items.length - 1, Math.max(0, at + step))] ?? null;
}

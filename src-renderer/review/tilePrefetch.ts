// Which views to load ahead while the expert looks at the current item: the next few items to
// review, in the order they will come up, so that the key that brings one up draws it from the
// viewer's texture cache instead of waiting for tiles. Pure: the viewer does the loading
// (`DeepZoomViewer.setPrefetchViews`, low priority, after the current view's tiles).
import { contextView } from './reviewGeometry';
import type { ViewTarget } from './reviewGeometry';
import { itemKey } from './reviewOverlay';
import { nextToReview } from './reviewQueue';
import type { ReviewItem } from './reviewTypes';

/** How many upcoming items to keep loaded: the next one, and the one after for quick keys. */
export const PREFETCH_ITEMS = 2;

/**
 * The context views of the items that come after `fromKey` as decisions are made (each the
 * `nextToReview` of the one before, assuming it gets decided), at most `count`, no repeats.
 */
export function upcomingViews(items: readonly ReviewItem[], fromKey: string | null, viewWidth: number, viewHeight: number, count = PREFETCH_ITEMS): ViewTarget[] {
  const out: ViewTarget[] = [];
  const seen = new Set<string>(fromKey === null ? [] : [fromKey]);
  // Items assumed decided on the way: nextToReview skips only non-pending ones.
  let rest = items.slice();
  let key = fromKey;
  while (out.length < count) {
    const next = nextToReview(rest, key);
    if (!next || seen.has(itemKey(next))) break;
    seen.add(itemKey(next));
    out.push(contextView(next.box, viewWidth, viewHeight));
    if (key !== null) rest = rest.map((i) => (itemKey(i) === key ? { ...i, state: 'accepted' } : i));
    key = itemKey(next);
  }
  return out;
}

// How far the review of an image has come, counted from its review items (the decision log's
// current state). The review header (review.stats), the image list and the project overview
// all count with this one function, so they never disagree.
import type { ReviewItem } from './reviewItems';

export interface ReviewCounts {
  /** Suggestions of every sweep of the image (merged across crop borders). */
  suggestions: number;
  /** Accepted or declined: 'later' is still to be decided. */
  reviewed: number;
  accepted: number;
  declined: number;
  later: number;
  pending: number;
  /** Regions the expert added by hand (in effect). */
  added: number;
}

export function reviewCounts(items: readonly ReviewItem[]): ReviewCounts {
  const counts: ReviewCounts = { suggestions: 0, reviewed: 0, accepted: 0, declined: 0, later: 0, pending: 0, added: 0 };
  for (const item of items) {
    if (item.kind === 'annotation') {
      counts.added++;
      continue;
    }
    counts.suggestions++;
    counts[item.state]++;
  }
  counts.reviewed = counts.accepted + counts.declined;
  return counts;
}

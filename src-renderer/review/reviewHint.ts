// What the review panel says when no item is current: the next thing the reviewer can do. One
// pure function so that the panel never contradicts its own queue (it once said "sweep the image
// first" beside "3 new suggestions · add to queue").
import type { SweepRun } from './reviewTypes';

export interface ReviewHintInput {
  /** States of the items in the queue. */
  readonly states: readonly string[];
  /** Suggestions the sweep added, held apart until the reviewer merges them. */
  readonly newCount: number;
  /** The image's newest sweep run, or null when it was never swept. */
  readonly run: Pick<SweepRun, 'status'> | null;
}

export interface ReviewHint {
  readonly kind: 'start' | 'merge' | 'done' | 'sweeping' | 'empty' | 'sweep';
  readonly text: string;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function reviewHint({ states, newCount, run }: ReviewHintInput): ReviewHint {
  if (states.some((s) => s === 'pending' || s === 'later')) return { kind: 'start', text: 'Press → to start reviewing.' };
  if (newCount > 0) {
    return { kind: 'merge', text: `${plural(newCount, 'new suggestion')} waiting: add ${newCount === 1 ? 'it' : 'them'} to the queue below.` };
  }
  const sweeping = run?.status === 'running' || run?.status === 'queued';
  if (states.length > 0) {
    return { kind: 'done', text: sweeping ? 'Every suggestion so far is reviewed; the sweep is still looking.' : 'Every suggestion is reviewed.' };
  }
  if (sweeping) return { kind: 'sweeping', text: 'The sweep is running: suggestions appear here as it finds them.' };
  if (run?.status === 'done') return { kind: 'empty', text: 'The sweep found nothing to suggest on this image.' };
  return { kind: 'sweep', text: 'No suggestions: sweep the image first.' };
}

// "Labels were recorded" as a signal from the places that record them (review decisions,
// crop-grid labels, crops made from annotation sets) to whoever prepares work for the next
// retrain (featurePrepScheduler.ts), without those places knowing about it: they take only the
// project store. Listeners are per store; a store that is gone takes its listeners with it.
import type { ProjectStore } from '../../project/projectStore';

const listeners = new WeakMap<ProjectStore, Set<() => void>>();

/** Calls `listener` after each labelsRecorded(store); returns the unsubscribe. */
export function onLabelsRecorded(store: ProjectStore, listener: () => void): () => void {
  let set = listeners.get(store);
  if (!set) listeners.set(store, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/** Says that labels of `store` changed; a listener's failure never fails the labelling. */
export function labelsRecorded(store: ProjectStore): void {
  for (const listener of listeners.get(store) ?? []) {
    try {
      listener();
    } catch (err) {
      console.error('a labels-recorded listener failed:', err);
    }
  }
}

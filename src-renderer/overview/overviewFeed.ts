// The project overview rows (images.overview), kept current: re-read after imports, removals,
// renames, sweeps and review decisions. A sweep streams suggestions in bursts and a reviewer
// decides quickly, so the events of each half second are gathered into one read. A read is due
// half a second after the first event it gathers, not after the last: a running sweep announces
// itself more often than that, and waiting for a quiet moment left the image list at
// "sweeping 0 %" until the sweep ended.
import type { RequestResult } from '../../src-main/api/types';
import type { Connection } from '../api/transport';

export type ImageOverview = RequestResult<'images.overview'>[number];

/** How long events are gathered into one read, ms. */
export const OVERVIEW_GATHER_MS = 500;

/** Calls `onRows` with fresh rows now and after every change; returns the unsubscribe. */
export function watchOverview(connection: Connection, onRows: (rows: ImageOverview[]) => void, onError: (message: string) => void): () => void {
  const api = connection.api;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  // Reads may answer out of order: only the newest one asked is shown.
  let asked = 0;
  const read = async (): Promise<void> => {
    const mine = ++asked;
    try {
      const rows = await api.invoke('images.overview', {});
      if (!stopped && mine === asked) onRows(rows);
    } catch (e) {
      if (!stopped && mine === asked) onError(e instanceof Error ? e.message : String(e));
    }
  };
  const soon = (): void => {
    if (timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      void read();
    }, OVERVIEW_GATHER_MS);
  };
  const offs = [
    api.on('images.changed', soon),
    api.on('review.changed', soon),
    api.on('review.suggestions', soon),
    api.on('sweep.run', soon),
  ];
  void read();
  return () => {
    stopped = true;
    offs.forEach((off) => off());
    if (timer !== null) clearTimeout(timer);
  };
}

/** Where the image stands in a cluster study: planned (on the cluster or waiting), or collected. */
export function clusterLabel(cluster: ImageOverview['cluster']): string {
  if (!cluster) return '—';
  return cluster.collectedRunId === null ? `planned, task ${cluster.taskIndex}` : `collected → run ${cluster.collectedRunId}`;
}

/** "not swept", "swept", "sweeping 40 %", "sweep cancelled at 40 %", "sweep failed". */
export function sweepLabel(sweep: ImageOverview['sweep']): string {
  if (!sweep) return 'not swept';
  const share = sweep.cropsTotal > 0 ? Math.floor((100 * sweep.cropsDone) / sweep.cropsTotal) : 0;
  switch (sweep.status) {
    case 'done':
      return 'swept';
    case 'queued':
      return 'sweep queued';
    case 'running':
      return `sweeping ${share} %`;
    case 'cancelled':
      return `sweep cancelled at ${share} %`;
    case 'failed':
      return 'sweep failed';
  }
}

// A grid sweep with a screen (issue #19): the screen scores the crops chunk by chunk (cheap),
// and only the crops it keeps go through the full model, Grad-CAM and the masks. Background and
// ruled-out crops are journaled as soon as the screen has seen them; a kept crop when the full
// model has finished it, so a resumed run (which skips journaled crops) screens again only the
// kept crops it had not finished.
//
// Same suggestions as without the screen: the object method's ledger keeps the first view of an
// object seen by two crops (a marker across a crop border), and within a batch the best-scoring
// one, so the result depends on which crops share a batch and in which order batches come. The
// kept crops are therefore explained in the unscreened sweep's batches (the visiting order cut
// into batches of `batchSize`, less the crops the screen ruled out), in that order. Taking them
// in descending screen score instead was tried: it shows likely markers first, but a marker across
// a border then came out measured from its other crop (1 px and 0.006 of score apart on a 1,024²
// test image), so it is not done. What the screen saves in idle engines is kept: the forward
// passes of all the kept crops of a chunk start together (every engine busy), ahead of the batches
// that use them.
import { throwIfCancelled } from '../../jobs/jobContext';
import { screenOut, type ScreenParams } from '../screen/screenCascade';
import type { EnginePool } from '../workerPool';
import type { ScreenedProgress } from './screenedProgress';
import type { GridCrop } from './sweepGrid';
import type { JournalCrop } from './sweepJournal';
import type { SweepProfile } from './sweepProfile';

/** Crops the screen scores at once: several engine batches (fewer, larger messages). */
export const SCREEN_BATCHES_PER_CHUNK = 8;

export interface ScreenedSweep {
  pool: Pick<EnginePool, 'screenBatch'>;
  screen: ScreenParams;
  classIndex: number;
  /** The run's class threshold (a ruled-out crop is recorded under it). */
  runThreshold: number;
  size: number;
  /** The crops to sweep, in the order the unscreened sweep visits them. */
  todo: readonly GridCrop[];
  /** Crops per batch of the unscreened sweep. */
  batchSize: number;
  signal: AbortSignal;
  /** Model inputs of crops; null for background. */
  read(crops: readonly GridCrop[]): Promise<(Float32Array | null)[]>;
  /** Starts the full model's forward pass of these inputs ahead of their batches (optional). */
  forwardAhead?(inputs: Float32Array[]): void;
  /** The full model, Grad-CAM and masks on kept crops: their journal lines. */
  sweepBatch(crops: GridCrop[], inputs: Float32Array[]): Promise<JournalCrop[]>;
  /** Journals lines and reports progress. */
  finish(lines: JournalCrop[], reported: () => number): Promise<void>;
  progress: ScreenedProgress;
  profile: SweepProfile;
}

/** The kept crops (by index in `todo`) cut into the unscreened sweep's batches, in order; empty batches dropped. */
export function keptBatches(kept: readonly number[], batchSize: number): number[][] {
  const out: number[][] = [];
  for (const i of [...kept].sort((a, b) => a - b)) {
    const last = out.at(-1);
    if (last && Math.floor((last[0] as number) / batchSize) === Math.floor(i / batchSize)) last.push(i);
    else out.push([i]);
  }
  return out;
}

/** Screens and sweeps every crop of `todo`; returns how many the screen ruled out. */
export async function sweepScreened(s: ScreenedSweep): Promise<number> {
  const chunkSize = s.batchSize * SCREEN_BATCHES_PER_CHUNK;
  let ruledOut = 0;
  let next = s.read(s.todo.slice(0, chunkSize));
  for (let chunkStart = 0; chunkStart < s.todo.length; chunkStart += chunkSize) {
    throwIfCancelled(s.signal);
    const chunk = s.todo.slice(chunkStart, chunkStart + chunkSize);
    const inputs = await s.profile.time('waitForReading', () => next);
    if (chunkStart + chunkSize < s.todo.length) next = s.read(s.todo.slice(chunkStart + chunkSize, chunkStart + 2 * chunkSize));
    const live = inputs.flatMap((input, i) => (input ? [{ i, input }] : []));
    const verdict = await s.profile.time('screen', () => screenOut(s.pool, live, s.size, s.classIndex, s.screen, s.runThreshold));
    const settled: JournalCrop[] = [];
    const kept: number[] = [];
    chunk.forEach((crop, i) => {
      const input = inputs[i] ?? null;
      if (input && verdict.kept.has(i)) kept.push(chunkStart + i);
      else settled.push({ col: crop.col, row: crop.row, score: input ? (verdict.ruledOut.get(i) as number) : null, regions: [] });
    });
    ruledOut += verdict.ruledOut.size;
    s.progress.settle(settled.length);
    s.progress.keep(kept.length);
    await s.finish(settled, () => s.progress.reported());
    const inputOf = (k: number) => inputs[k - chunkStart] as Float32Array;
    s.forwardAhead?.(kept.map(inputOf));
    for (const batch of keptBatches(kept, s.batchSize)) {
      throwIfCancelled(s.signal);
      const lines = await s.sweepBatch(
        batch.map((k) => s.todo[k] as GridCrop),
        batch.map(inputOf),
      );
      s.progress.explain(batch.length);
      await s.finish(lines, () => s.progress.reported());
    }
  }
  return ruledOut;
}

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
// test image), so it is not done.
//
// What the screen saves must not leave engines idle: a batch's Grad-CAM and second looks are one
// or two crops at a time, so while they run the next chunk is read, screened and its kept crops'
// forward passes started, at the pool's 'ahead' priority (an engine takes that work only when no
// awaited work is queued). Only the engines' order of work changes, not the batches' order, so
// the suggestions are the same. Journaling stays in chunk order, in this loop.
import { throwIfCancelled } from '../../jobs/jobContext';
import { screenOut, type ScreenParams, type ScreenVerdict } from '../screen/screenCascade';
import type { EnginePool } from '../workerPool';
import type { ScreenedProgress } from './screenedProgress';
import type { GridCrop } from './sweepGrid';
import type { JournalCrop } from './sweepJournal';
import type { SweepProfile } from './sweepProfile';

/** Crops the screen scores at once: several engine batches (fewer, larger messages). */
export const SCREEN_BATCHES_PER_CHUNK = 8;
/**
 * Chunks read and screened ahead of the one being explained. One took the screened 4,096² bench
 * from 41.8 and 36.8 s to 36.8 and 33.1 s (two A/B pairs, alternated); two and four were no
 * faster (an engine still waits while one object's Grad-CAM, re-explaining and second look run
 * in turn) and four delayed the first suggestion (5.7 s against 4.3 s). Each holds its inputs
 * until the engines take them (256² crops: 8 MB).
 */
export const CHUNKS_AHEAD = 1;

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
  /** Starts the full model's forward pass of these inputs ahead of their batches, at 'ahead' priority (optional). */
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

/** A chunk of `todo` read and screened, its kept crops' forward passes started. */
interface ScreenedChunk {
  start: number;
  inputs: (Float32Array | null)[];
  verdict: ScreenVerdict;
}

/** Reads, screens and starts the forward passes of the chunk at `start` (engine work at 'ahead' priority). */
async function screenChunk(s: ScreenedSweep, start: number, chunkSize: number): Promise<ScreenedChunk> {
  const inputs = await s.profile.time('waitForReading', () => s.read(s.todo.slice(start, start + chunkSize)));
  const live = inputs.flatMap((input, i) => (input ? [{ i, input }] : []));
  const verdict = await s.profile.time('screen', () => screenOut(s.pool, live, s.size, s.classIndex, s.screen, s.runThreshold, 'ahead'));
  s.forwardAhead?.(live.filter((l) => verdict.kept.has(l.i)).map((l) => l.input));
  return { start, inputs, verdict };
}

/** Screens and sweeps every crop of `todo`; returns how many the screen ruled out. */
export async function sweepScreened(s: ScreenedSweep): Promise<number> {
  const chunkSize = s.batchSize * SCREEN_BATCHES_PER_CHUNK;
  let ruledOut = 0;
  const pending: Promise<ScreenedChunk>[] = [];
  let nextStart = 0;
  const fill = (): void => {
    while (pending.length < CHUNKS_AHEAD && nextStart < s.todo.length) {
      const chunk = screenChunk(s, nextStart, chunkSize);
      // Awaited in its turn; if the job stops first, its failure must not go unhandled.
      chunk.catch(() => undefined);
      pending.push(chunk);
      nextStart += chunkSize;
    }
  };
  fill();
  for (let chunk = pending.shift(), first = true; chunk; chunk = pending.shift(), first = false) {
    throwIfCancelled(s.signal);
    const { start: chunkStart, inputs, verdict } = await chunk;
    // The first chunk is explained alone: reading the next one competes for the cores, and
    // delayed the first suggestion by about half a second (two A/B runs at 4,096²).
    if (!first) fill();
    const settled: JournalCrop[] = [];
    const kept: number[] = [];
    s.todo.slice(chunkStart, chunkStart + chunkSize).forEach((crop, i) => {
      const input = inputs[i] ?? null;
      if (input && verdict.kept.has(i)) kept.push(chunkStart + i);
      else settled.push({ col: crop.col, row: crop.row, score: input ? (verdict.ruledOut.get(i) as number) : null, regions: [] });
    });
    ruledOut += verdict.ruledOut.size;
    s.progress.settle(settled.length);
    s.progress.keep(kept.length);
    await s.finish(settled, () => s.progress.reported());
    const inputOf = (k: number) => inputs[k - chunkStart] as Float32Array;
    for (const batch of keptBatches(kept, s.batchSize)) {
      throwIfCancelled(s.signal);
      const lines = await s.sweepBatch(
        batch.map((k) => s.todo[k] as GridCrop),
        batch.map(inputOf),
      );
      s.progress.explain(batch.length);
      await s.finish(lines, () => s.progress.reported());
    }
    if (first) fill();
  }
  return ruledOut;
}

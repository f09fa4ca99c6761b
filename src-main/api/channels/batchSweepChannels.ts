// Sweeping every image as one batch (issue 17): images already swept with the same model are
// skipped unless asked, runs a cancel or a crash left unfinished continue from their finished
// crops, and one cancel stops the whole batch. Main keeps the batch (sweep.batchCurrent), so a
// page that leaves Review or reloads finds it again. Progress is that of its runs (sweep.run,
// job.updated); the page adds them up (src-renderer/review/batchSweepState.ts).
import { z } from 'zod';
import { ImageIdSchema } from '../entities';
import { NoParams } from './noParams';
import { SweepRunSchema } from './reviewChannels';

/**
 * A batch as main keeps it (the project's settings, so a page that reloads, or comes back to
 * Review, finds the batch it started): its runs as they stand now.
 */
export const BatchSweepSchema = z.object({
  /** The batch's runs in the order they run: new, or resumed from their finished crops. */
  runs: z.array(SweepRunSchema),
  /** Of those, the runs continued where a cancel or a crash left them. */
  resumedRunIds: z.array(z.number().int().positive()),
  /** The finished runs of the images skipped (already swept with this model). */
  skipped: z.array(SweepRunSchema),
  /** When the batch started (ms since the epoch) and how many of its crops were done then: its pace, for the ETA. */
  startedAt: z.number().nonnegative(),
  cropsDoneAtStart: z.number().int().nonnegative(),
});

export const batchSweepRequests = {
  'sweep.batch': {
    params: z
      .object({
        /** Default: every ready image of the project. */
        imageIds: z.array(ImageIdSchema).min(1).max(10_000).optional(),
        /** Sweep again images whose newest finished run used the same model. */
        force: z.boolean().optional(),
        modelId: z.number().int().positive().optional(),
        classIndex: z.number().int().nonnegative().optional(),
      })
      .strict(),
    result: BatchSweepSchema,
  },
  /** The project's latest batch, its runs as they stand now; null when none was started. */
  'sweep.batchCurrent': { params: NoParams, result: BatchSweepSchema.nullable() },
  /** Cancels the runs (queued ones first, so none starts meanwhile); the batch's one Cancel. */
  'sweep.cancelRuns': {
    params: z.object({ runIds: z.array(z.number().int().positive()).min(1).max(10_000) }).strict(),
    result: z.object({ cancelled: z.number().int().nonnegative() }),
  },
} as const;

export const batchSweepEvents = {
  /** A batch started (from any window): the one the panels follow now. */
  'sweep.batchStarted': BatchSweepSchema,
} as const;

// Sweeping every image as one batch (issue 17): images already swept with the same model are
// skipped unless asked, runs a cancel or a crash left unfinished continue from their finished
// crops, and one cancel stops the whole batch. Progress is that of its runs (sweep.run,
// job.updated); the page adds them up (src-renderer/review/batchSweepState.ts).
import { z } from 'zod';
import { ImageIdSchema } from '../entities';
import { SweepRunSchema } from './reviewChannels';

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
    result: z.object({
      /** The batch's runs in the order they run: new, or resumed from their finished crops. */
      runs: z.array(SweepRunSchema),
      /** Of those, the runs continued where a cancel or a crash left them. */
      resumedRunIds: z.array(z.number().int().positive()),
      /** The finished runs of the images skipped (already swept with this model). */
      skipped: z.array(SweepRunSchema),
    }),
  },
  /** Cancels the runs (queued ones first, so none starts meanwhile); the batch's one Cancel. */
  'sweep.cancelRuns': {
    params: z.object({ runIds: z.array(z.number().int().positive()).min(1).max(10_000) }).strict(),
    result: z.object({ cancelled: z.number().int().nonnegative() }),
  },
} as const;

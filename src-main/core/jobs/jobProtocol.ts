// Messages between the compute-process host (main) and the compute process. Both sides parse
// what they receive: a crashed or confused peer must not corrupt the other.
import { z } from 'zod';

export const HostToComputeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), jobId: z.number().int().positive(), kind: z.string(), params: z.unknown() }),
  z.object({ type: z.literal('cancel'), jobId: z.number().int().positive() }),
]);
export type HostToCompute = z.infer<typeof HostToComputeSchema>;

/**
 * What a running job tells main besides its progress: something it made that main may announce
 * before the job ends (a pyramid level the viewer can show).
 */
export const JobNoteSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('levelReady'), level: z.number().int().nonnegative(), levels: z.number().int().positive() }),
]);
export type JobNote = z.infer<typeof JobNoteSchema>;

export const ComputeToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  z.object({
    type: z.literal('progress'),
    jobId: z.number().int().positive(),
    done: z.number().nonnegative(),
    total: z.number().nonnegative(),
    message: z.string().optional(),
  }),
  z.object({ type: z.literal('note'), jobId: z.number().int().positive(), note: JobNoteSchema }),
  z.object({ type: z.literal('result'), jobId: z.number().int().positive(), result: z.unknown() }),
  z.object({
    type: z.literal('error'),
    jobId: z.number().int().positive(),
    cancelled: z.boolean(),
    message: z.string(),
  }),
]);
export type ComputeToHost = z.infer<typeof ComputeToHostSchema>;

// The messages between the data-parallel coordinator (shardPool.ts, in the training thread)
// and its shard workers (shardWorkerEntry.ts). Both sides parse what they receive: a thread
// boundary is a trust boundary for shapes and sizes, and a bad message must fail the step
// with a clear error, not corrupt a tensor.
import { z } from 'zod';
import { BACKEND_NAMES } from '../backendInfo';
import { LayoutEntrySchema } from './variableLayout';

const floats = z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array');
const shape4 = z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]);

export const ShardWorkerDataSchema = z.object({
  backend: z.enum(BACKEND_NAMES).optional(),
  inChannels: z.number().int().positive(),
  numClasses: z.number().int().positive(),
  index: z.number().int().nonnegative(),
  workers: z.number().int().positive(),
  /** sharedReducer.ts's buffer. */
  reducer: z.instanceof(SharedArrayBuffer),
  /** Every variable of the model, laid out by `weightsLayout`; written by the coordinator only. */
  weights: z.instanceof(SharedArrayBuffer),
  weightsLayout: z.array(LayoutEntrySchema),
  /** Per worker: gradients of the trainable variables, then its running statistics (`outputLayout`). */
  outputs: z.instanceof(SharedArrayBuffer),
  outputLayout: z.array(LayoutEntrySchema),
});
export type ShardWorkerData = z.infer<typeof ShardWorkerDataSchema>;

export const ShardRequestSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('step'),
    id: z.number().int(),
    /** Variables to re-read from shared memory first (those changed since this worker's last task). */
    reload: z.array(z.string()),
    x: floats,
    shape: shape4,
    from: z.number().int().nonnegative(),
    trainFrom: z.number().int().nonnegative(),
    targets: floats,
    weights: floats,
    dropout: floats,
    batchSize: z.number().int().positive(),
    weightCount: z.number().nonnegative(),
  }),
  z.object({
    type: z.literal('features'),
    id: z.number().int(),
    reload: z.array(z.string()),
    x: floats,
    shape: shape4,
    from: z.number().int().nonnegative(),
    to: z.number().int().nonnegative(),
  }),
]);
export type ShardRequest = z.infer<typeof ShardRequestSchema>;

export const ShardReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('fatal'), message: z.string() }),
  z.object({ type: z.literal('stepped'), id: z.number().int(), loss: z.number(), logits: floats }),
  z.object({ type: z.literal('features'), id: z.number().int(), features: floats, shape: shape4 }),
  z.object({ type: z.literal('failed'), id: z.number().int(), message: z.string() }),
]);
export type ShardReply = z.infer<typeof ShardReplySchema>;

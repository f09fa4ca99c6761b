// Every kind of tracked job, with the params its caller gives (the schema's input: defaults not
// yet applied) and the result its handler answers. JobRunner.run takes params of the kind's type,
// so a caller that passes another kind's params fails to compile. Type imports only: main must not
// load the handlers' modules (tfjs, sharp), which run in the compute process. Results still arrive
// from that other process, so callers parse them with the kind's result schema before use.
import type { z } from 'zod';
import type { ImportJobResult, ImportParamsSchema } from '../imaging/importJob';
import type { TileStatsParamsSchema, TileStatsResult } from '../imaging/tileStatsJob';
import type { CropScoresParamsSchema, CropScoresResult } from '../ml/dataset/cropScoreJob';
import type { EvaluateParamsSchema, EvaluateResult } from '../ml/evaluation/evaluateJobSchema';
import type { DistillScreenParams, DistillScreenResultSchema } from '../ml/screen/distillJob';
import type { SweepGridResultSchema, SweepJobParamsSchema, SweepPointResult } from '../ml/sweep/sweepJob';
import type { FeaturePrepParamsSchema, FeaturePrepResult } from '../ml/training/featurePrepJobSchema';
import type { TrainParamsSchema, TrainResult } from '../ml/training/trainJobSchema';
import type { JobKind } from './jobRunner';

export interface JobTypes {
  import: { params: z.input<typeof ImportParamsSchema>; result: ImportJobResult };
  tileStats: { params: z.input<typeof TileStatsParamsSchema>; result: TileStatsResult };
  sweep: { params: z.input<typeof SweepJobParamsSchema>; result: z.output<typeof SweepGridResultSchema> | SweepPointResult };
  train: { params: z.input<typeof TrainParamsSchema>; result: TrainResult };
  evaluate: { params: z.input<typeof EvaluateParamsSchema>; result: EvaluateResult };
  prepareFeatures: { params: z.input<typeof FeaturePrepParamsSchema>; result: FeaturePrepResult };
  cropScores: { params: z.input<typeof CropScoresParamsSchema>; result: CropScoresResult };
  screenDistill: { params: DistillScreenParams; result: z.output<typeof DistillScreenResultSchema> };
}

export type JobParams<K extends keyof JobTypes> = JobTypes[K]['params'];
export type JobResult<K extends keyof JobTypes> = JobTypes[K]['result'];

// Every kind the contract names (JobKindSchema, api/entities.ts) has an entry above, and no entry
// names a kind it does not: a kind added there fails to compile here until it is typed.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const everyJobKindTyped: Exact<keyof JobTypes, JobKind> = true;

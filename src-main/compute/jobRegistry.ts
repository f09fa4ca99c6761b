// Every kind of job the compute process can run. Engine jobs (sweep, maps, training) join here.
import { importJobHandler } from '../core/imaging/importJob';
import { tileStatsJobHandler } from '../core/imaging/tileStatsJob';
import { sweepJobHandler } from '../core/ml/sweep/sweepJob';
import { trainJobHandler } from '../core/ml/training/trainJob';
import { featurePrepJobHandler } from '../core/ml/training/featurePrepJob';
import { evaluateJobHandler } from '../core/ml/evaluation/evaluateJob';
import { computeInfoJobHandler } from '../core/ml/computeInfoJob';
import { cropScoreJobHandler } from '../core/ml/dataset/cropScoreJob';
import { distillScreenJobHandler } from '../core/ml/screen/distillJob';
import { makeJobRegistry, registerJob } from './computeRuntime';

export const jobRegistry = makeJobRegistry([
  registerJob(importJobHandler),
  registerJob(tileStatsJobHandler),
  registerJob(sweepJobHandler),
  registerJob(trainJobHandler),
  registerJob(featurePrepJobHandler),
  registerJob(evaluateJobHandler),
  registerJob(computeInfoJobHandler),
  registerJob(cropScoreJobHandler),
  registerJob(distillScreenJobHandler),
]);

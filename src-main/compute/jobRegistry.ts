// Every kind of job the compute process can run. Engine jobs (sweep, maps, training) join here.
import { importJobHandler } from '../core/imaging/importJob';
import { tileStatsJobHandler } from '../core/imaging/tileStatsJob';
import { sweepJobHandler } from '../core/ml/sweep/sweepJob';
import { makeJobRegistry, registerJob } from './computeRuntime';

export const jobRegistry = makeJobRegistry([registerJob(importJobHandler), registerJob(tileStatsJobHandler), registerJob(sweepJobHandler)]);

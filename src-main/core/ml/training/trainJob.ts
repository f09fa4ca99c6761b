// The 'train' job (compute process): trains in a worker thread (trainWorker.ts → trainNetwork.ts:
// sample sets, network, training loop with progress as JSON in the progress message, see
// trainingProgress.ts, and checkpoints), then, here on the main thread, finalises the best
// checkpoint into the model's folder with its card: class thresholds chosen on the validation
// split (highest F1), provenance and metrics.
// Cancel: the worker stops after the current step, or is ended mid-step when the step is long;
// the checkpoints are those of the last completed epoch, the best one so far becomes the model
// (when there is one) and the job ends cancelled. Resume: `resume: true` continues from the last
// checkpoint in <modelDir>/checkpoint/.
import { existsSync } from 'node:fs';
import { JobCancelledError, type JobContext, type JobHandler } from '../../jobs/jobContext';
import { initBackend } from '../backend';
import { projectSampleSets } from '../dataset/projectSampleSets';
import { bestManifestPath } from './checkpoint';
import { checkpointDirOfModel } from './checkpointPaths';
import { finalizeTrainedModel, type FinalizedModel } from './finalizeModel';
import { TrainParamsSchema, type TrainParams, type TrainResult } from './trainJobSchema';
import type { DatasetCounts, TrainedLoop } from './trainNetwork';
import { runTrainWorker } from './trainWorker';

export const trainJobHandler: JobHandler<TrainParams, TrainResult> = {
  kind: 'train',
  params: TrainParamsSchema,
  async run(p: TrainParams, ctx: JobContext): Promise<TrainResult> {
    // Set by the worker's report once its sample sets are built.
    const dataset: { counts: DatasetCounts | null } = { counts: null };
    let loop: TrainedLoop | null = null;
    try {
      loop = await runTrainWorker(p, { signal: ctx.signal, progress: (d, t, m) => ctx.progress(d, t, m), dataset: (c) => (dataset.counts = c) });
    } catch (err) {
      if (!(err instanceof JobCancelledError)) throw err;
    }
    const { counts } = dataset;
    const finalized = counts !== null && existsSync(bestManifestPath(checkpointDirOfModel(p.modelDir))) ? await finalize(p, loop, counts) : null;
    if (!loop) throw new JobCancelledError();
    if (!finalized || counts === null) throw new Error('training ended without a checkpoint');
    return { modelId: p.modelId, ...loop, counts, card: finalized.card, metrics: finalized.metrics };
  },
};

/** The best checkpoint as the model (on this thread: the worker is gone); the test split is left for later when cancelled. */
async function finalize(p: TrainParams, loop: TrainedLoop | null, counts: DatasetCounts): Promise<FinalizedModel> {
  const backend = await initBackend(p.backend);
  return finalizeTrainedModel({
    checkpointDir: checkpointDirOfModel(p.modelDir),
    modelDir: p.modelDir,
    // Labelled crops only: the unlabelled draw matters to training alone.
    sets: async (card) =>
      projectSampleSets(p.projectDir, { ...p.dataset, unlabelled: { ratio: 0, candidates: [] } }, { inChannels: card.inChannels, preprocessing: card.preprocessing, seed: p.seed }),
    inputSize: p.dataset.cropSize,
    skipTest: loop === null,
    provenance: {
      parent: p.parentModelId === null ? null : String(p.parentModelId),
      ...(p.base ? { base: p.base } : {}),
      backend: loop?.backend ?? backend.name,
      epochs: loop?.history.length ?? null,
      dataset: datasetSummary(p, counts),
    },
  });
}

function datasetSummary(p: TrainParams, counts: DatasetCounts): string {
  return JSON.stringify({ cropSize: p.dataset.cropSize, classes: p.dataset.classes.map((c) => c.name), puRatio: p.dataset.unlabelled.ratio, seed: p.seed, ...counts });
}

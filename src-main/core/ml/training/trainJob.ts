// The 'train' job (compute process): builds the sample sets from the DatasetSpec main sent,
// creates the network (fresh, or from the parent model's weights for fine-tuning), runs the
// training loop with progress (JSON in the progress message: see trainingProgress.ts), then
// finalises the best checkpoint into the model's folder with its card: class thresholds
// chosen on the validation split (highest F1), provenance and metrics.
// Cancel: the loop stops after the current step; the best checkpoint so far becomes the
// model (when there is one) and the job ends cancelled. Resume: `resume: true` continues from
// the last checkpoint in <modelDir>/checkpoint/.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { JobCancelledError, type JobContext, type JobHandler } from '../../jobs/jobContext';
import { initBackend } from '../backend';
import { projectSampleSets } from '../dataset/projectSampleSets';
import { createMicraNet, type MicraNet } from '../model/micranet';
import { loadMicraNetWeights } from '../weights/micranetWeights';
import { ModelCardSchema, PreprocessingSchema, type ModelCard } from '../weights/modelCard';
import { finalizeTrainedModel, type FinalizedModel } from './finalizeModel';
import { encodeTrainingProgress } from './trainingProgress';
import { TrainParamsSchema, type TrainParams, type TrainResult } from './trainJobSchema';
import { trainLoop } from './trainLoop';
import { checkpointDirOfModel } from './checkpointPaths';


/** The parent's weights into a network with this dataset's classes (the linear layer is new when they differ). */
async function startingNetwork(p: TrainParams): Promise<{ net: MicraNet; parentCard: ModelCard | null }> {
  const classes = p.dataset.classes.length;
  if (!p.parentManifest) return { net: createMicraNet({ inChannels: 1, numClasses: classes, seed: p.seed }), parentCard: null };
  const parent = await loadMicraNetWeights(p.parentManifest);
  if (parent.net.numClasses === classes) return { net: parent.net, parentCard: parent.card };
  const net = createMicraNet({ inChannels: parent.net.inChannels, numClasses: classes, seed: p.seed });
  for (const [name, v] of parent.net.variables) if (!name.startsWith('linear')) net.variables.get(name)?.assign(v);
  parent.net.dispose();
  return { net, parentCard: parent.card };
}

export const trainJobHandler: JobHandler<TrainParams, TrainResult> = {
  kind: 'train',
  params: TrainParamsSchema,
  async run(p: TrainParams, ctx: JobContext): Promise<TrainResult> {
    const backend = await initBackend(p.backend);
    ctx.progress(0, 1, 'reading the dataset');
    const { net, parentCard } = await startingNetwork(p);
    try {
      const preprocessing = parentCard?.preprocessing ?? PreprocessingSchema.parse({});
      const sets = await projectSampleSets(p.projectDir, p.dataset, { inChannels: net.inChannels, preprocessing, seed: p.seed, signal: ctx.signal });
      if (ctx.signal.aborted) throw new JobCancelledError();
      const card: ModelCard = ModelCardSchema.parse({
        classes: p.dataset.classes.map((c) => c.name),
        inputSize: p.dataset.cropSize,
        inChannels: net.inChannels,
        preprocessing,
        classThresholds: p.dataset.classes.map(() => 0.5),
        provenance: { parent: p.parentModelId === null ? null : String(p.parentModelId), backend: backend.name, metrics: {} },
      });
      const checkpointDir = checkpointDirOfModel(p.modelDir);
      let cancelled = false;
      let loop;
      try {
        loop = await trainLoop({
          net,
          card,
          mode: p.mode,
          train: sets.train,
          validation: sets.validation,
          inputSize: p.dataset.cropSize,
          epochs: p.epochs,
          batchSize: p.batchSize,
          learningRate: p.learningRate,
          patience: p.patience,
          seed: p.seed,
          augment: p.augment,
          checkpointDir,
          resume: p.resume,
          signal: ctx.signal,
          onProgress: (progress, done, total) => ctx.progress(done, total, encodeTrainingProgress(progress)),
        });
      } catch (err) {
        if (!(err instanceof JobCancelledError)) throw err;
        cancelled = true;
      }
      const finalized: FinalizedModel | null = existsSync(path.join(checkpointDir, 'best', 'manifest.json'))
        ? await finalizeTrainedModel({
            checkpointDir,
            modelDir: p.modelDir,
            validation: sets.validation,
            test: sets.test,
            inputSize: p.dataset.cropSize,
            provenance: { parent: card.provenance.parent, backend: backend.name, epochs: loop?.history.length ?? null, dataset: datasetSummary(p, sets.counts) },
          })
        : null;
      if (cancelled) throw new JobCancelledError();
      if (!loop || !finalized) throw new Error('training ended without a checkpoint');
      return {
        modelId: p.modelId,
        history: loop.history,
        bestEpoch: loop.bestEpoch,
        stoppedEarly: loop.stoppedEarly,
        resumedFromEpoch: loop.resumedFromEpoch,
        steps: loop.steps,
        seconds: loop.seconds,
        backend: backend.name,
        counts: sets.counts,
        card: finalized.card,
        metrics: finalized.metrics,
      };
    } finally {
      net.dispose();
    }
  },
};

function datasetSummary(p: TrainParams, counts: TrainResult['counts']): string {
  return JSON.stringify({ cropSize: p.dataset.cropSize, classes: p.dataset.classes.map((c) => c.name), puRatio: p.dataset.unlabelled.ratio, seed: p.seed, ...counts });
}

// The 'evaluate' job (compute process): the model's probabilities on one split's labelled
// crops, per class: accuracy/precision/recall/F1 at the card's threshold, the PR curve over the
// threshold and the threshold of highest F1.
import { throwIfCancelled, type JobContext, type JobHandler } from '../../jobs/jobContext';
import { initBackend } from '../backend';
import { projectSampleSets } from '../dataset/projectSampleSets';
import { loadMicraNetWeights } from '../weights/micranetWeights';
import { evaluateClass } from './classificationEvaluation';
import { EvaluateParamsSchema, type EvaluateParams, type EvaluateResult } from './evaluateJobSchema';
import { predictProbabilities } from './predictProbabilities';
import { labelsOf } from './sampleLabels';

export const evaluateJobHandler: JobHandler<EvaluateParams, EvaluateResult> = {
  kind: 'evaluate',
  params: EvaluateParamsSchema,
  async run(p: EvaluateParams, ctx: JobContext): Promise<EvaluateResult> {
    await initBackend();
    const { net, card } = await loadMicraNetWeights(p.modelManifest);
    try {
      if (card.inputSize !== p.dataset.cropSize) throw new Error(`the model takes ${card.inputSize}² crops, the dataset has ${p.dataset.cropSize}²`);
      const spec = { ...p.dataset, unlabelled: { ratio: 0, candidates: [] } };
      const sets = await projectSampleSets(p.projectDir, spec, { inChannels: net.inChannels, preprocessing: card.preprocessing, seed: 0, signal: ctx.signal });
      const set = sets[p.split];
      ctx.progress(0, set.count, `scoring ${set.count} crops`);
      const classes = net.numClasses;
      const { targets, weights } = await labelsOf(set, classes);
      throwIfCancelled(ctx.signal);
      const probs = await predictProbabilities(net, set, card.inputSize, { signal: ctx.signal, progress: (done, total) => ctx.progress(done, total, `scoring ${total} crops`) });
      const perClass = card.classes.map((name, k) => ({
        ...evaluateClass(probs, targets, weights, classes, k, card.classThresholds[k] ?? 0.5),
        className: name,
      }));
      return { classes: perClass, meanAccuracy: perClass.reduce((a, c) => a + c.accuracy, 0) / Math.max(1, perClass.length) };
    } finally {
      net.dispose();
    }
  },
};

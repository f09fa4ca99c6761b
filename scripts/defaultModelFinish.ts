// The second half of `npm run train:default`: load the best checkpoint, choose the threshold on
// the validation crops (max F1 at the sparse prior of a sweep: validation crops are about one
// third positive, a sweep of an SEM section about one crop in 16 or fewer, and the max-F1
// threshold of the balanced set floods a sweep with suggestions), measure held-out accuracy, detection and segmentation on the
// test crops, and write models/default/ (weights + card with provenance and metrics).
import { rm } from 'node:fs/promises';
import { loadMicraNetWeights, saveMicraNetWeights } from '../src-main/core/ml/weights/micranetWeights';
import type { TrainLoopResult } from '../src-main/core/ml/training/trainLoop';
import type { SampleSet } from '../src-main/core/ml/training/trainingSet';
import { predictProbabilities } from '../src-main/core/ml/evaluation/predictProbabilities';
import { evaluateClass } from '../src-main/core/ml/evaluation/classificationEvaluation';
import { evaluateLocalisation } from '../src-main/core/ml/evaluation/localisationEvaluation';
import { chooseThreshold, precisionRecallCurve } from '../src-main/core/metrics/precisionRecall';
import type { Preprocessing, TrainingDataStats } from '../src-main/core/ml/weights/modelCard';
import { applyPreprocessing } from '../src-main/core/ml/preprocess';

export interface GroundTruthCrop {
  pixels: Uint8Array;
  mask: Uint8Array;
  label: 0 | 1;
}

/** 8-bit grey crop → the model's input: /255, then the card's preprocessing. */
export function modelInput(p: Uint8Array, pre: Preprocessing): Float32Array {
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = (p[i] as number) / 255;
  return applyPreprocessing(out, pre);
}

function setOf(crops: readonly GroundTruthCrop[], pre: Preprocessing): SampleSet {
  return {
    count: crops.length,
    get: async (i) => {
      const c = crops[i] as GroundTruthCrop;
      return { pixels: modelInput(c.pixels, pre), targets: Float32Array.of(c.label), weights: Float32Array.of(1) };
    },
  };
}

/** What the card records of the training run. */
export type FinishedTraining = Pick<TrainLoopResult, 'history' | 'bestEpoch' | 'steps' | 'seconds'>;

export interface FinishOptions {
  /** The trained weights: a manifest.json (e.g. the training's best checkpoint). */
  weightsManifest: string;
  outDir: string;
  validation: readonly GroundTruthCrop[];
  test: readonly GroundTruthCrop[];
  cropSize: number;
  backend: string;
  train: FinishedTraining;
  provenance: Record<string, unknown>;
  /** Negatives per positive crop the threshold is chosen for (a sweep's prior). */
  sweepNegativesPerPositive: number;
  /** Statistics of the training data, stored in the card for out-of-distribution warnings. */
  trainingData?: TrainingDataStats;
}

export async function finishDefaultModel(o: FinishOptions): Promise<Record<string, unknown>> {
  const { net, card } = await loadMicraNetWeights(o.weightsManifest);
  try {
    const valProbs = await predictProbabilities(net, setOf(o.validation, card.preprocessing), o.cropSize);
    const valTargets = Float32Array.from(o.validation, (c) => c.label);
    const ones = (n: number) => new Float32Array(n).fill(1);
    const val = evaluateClass(valProbs, valTargets, ones(valTargets.length), 1, 0, 0.5);
    const atPrior = chooseThreshold(precisionRecallCurve(valProbs, valTargets), { kind: 'maxF1AtPrior', negativesPerPositive: o.sweepNegativesPerPositive });
    const threshold = atPrior?.threshold ?? 0.5;
    const testProbs = await predictProbabilities(net, setOf(o.test, card.preprocessing), o.cropSize);
    const testTargets = Float32Array.from(o.test, (c) => c.label);
    const test = evaluateClass(testProbs, testTargets, ones(testTargets.length), 1, 0, threshold);
    const testAt05 = evaluateClass(testProbs, testTargets, ones(testTargets.length), 1, 0, 0.5);
    const loc = await evaluateLocalisation(
      net,
      o.test.map((c, i) => ({ pixels: modelInput(c.pixels, card.preprocessing), truth: c.mask, probability: testProbs[i] as number })),
      o.cropSize,
      0,
      threshold,
    );
    const metrics = {
      test_accuracy: test.accuracy,
      test_accuracy_at_0_5: testAt05.accuracy,
      test_precision: test.precision,
      test_recall: test.recall,
      test_f1: test.f1,
      test_average_precision: test.averagePrecision ?? 0,
      validation_accuracy: val.accuracy,
      validation_max_f1_threshold: val.suggestedThreshold ?? 0.5,
      threshold_prior_negatives_per_positive: o.sweepNegativesPerPositive,
      detection_precision: loc.detection.precision,
      detection_recall: loc.detection.recall,
      detection_f1: loc.detection.f1,
      segmentation_iou_precise: loc.precise.iou,
      segmentation_f1_precise: loc.precise.f1,
      segmentation_sbd_precise: loc.precise.sbd,
      segmentation_iou_coarse: loc.coarse.iou,
      segmentation_f1_coarse: loc.coarse.f1,
      test_crops: o.test.length,
      training_seconds: o.train.seconds,
      best_epoch: o.train.bestEpoch ?? 0,
    };
    const finalCard = {
      ...card,
      classThresholds: [threshold],
      provenance: {
        parent: typeof o.provenance['parent'] === 'string' && o.provenance['parent'] !== 'none' ? o.provenance['parent'] : null,
        dataset: JSON.stringify(o.provenance),
        trainedAt: new Date().toISOString(),
        backend: o.backend,
        epochs: o.train.history.length > 0 ? o.train.history.length : null,
        metrics,
      },
      ...(o.trainingData ? { trainingData: o.trainingData } : {}),
    };
    await rm(o.outDir, { recursive: true, force: true });
    await saveMicraNetWeights(net, finalCard, o.outDir);
    return { threshold, metrics, history: o.train.history, outDir: o.outDir };
  } finally {
    net.dispose();
  }
}

// Turns a run's best checkpoint into the model: class thresholds chosen on the validation
// split (highest F1 of each class's PR curve; 0.5 when the split has no positive), accuracy on
// validation and test at those thresholds, and the weights + card written to the model folder.
// The validation probabilities are those the loop saved with the best epoch when they are there
// (the split is scored again only when not); a cancelled run skips the test split, so that a
// cancel ends in seconds (evaluation.run scores it on demand).
import { loadMicraNetWeights, saveMicraNetWeights } from '../weights/micranetWeights';
import { ModelCardSchema, type BaseModelProvenance, type ModelCard } from '../weights/modelCard';
import { evaluateClass } from '../evaluation/classificationEvaluation';
import { predictProbabilities } from '../evaluation/predictProbabilities';
import { labelsOf } from '../evaluation/sampleLabels';
import { bestManifestPath, readBestValidationProbabilities } from './checkpoint';
import type { SampleSet } from './trainingSet';

export interface FinalizedModel {
  card: ModelCard;
  metrics: Record<string, number>;
  manifestPath: string;
}

export async function finalizeTrainedModel(o: {
  checkpointDir: string;
  modelDir: string;
  /** The labelled validation and test crops, read as the best checkpoint's card says. */
  sets: (card: ModelCard) => Promise<{ validation: SampleSet; test: SampleSet }>;
  inputSize: number;
  /** Leave the test split unscored (a cancelled run). */
  skipTest?: boolean;
  provenance: { parent: string | null; base?: BaseModelProvenance; backend: string; epochs: number | null; dataset: string };
}): Promise<FinalizedModel> {
  const { net, card } = await loadMicraNetWeights(bestManifestPath(o.checkpointDir));
  try {
    const { validation, test } = await o.sets(card);
    const classes = net.numClasses;
    const metrics: Record<string, number> = {};
    const thresholds = card.classes.map(() => 0.5);
    if (validation.count > 0) {
      const probs =
        (await readBestValidationProbabilities(o.checkpointDir, validation.count, classes)) ?? (await predictProbabilities(net, validation, o.inputSize));
      const { targets, weights } = await labelsOf(validation, classes);
      for (let k = 0; k < classes; k++) {
        const suggested = evaluateClass(probs, targets, weights, classes, k, 0.5).suggestedThreshold;
        if (suggested !== null) thresholds[k] = suggested;
        const e = evaluateClass(probs, targets, weights, classes, k, thresholds[k] as number);
        metrics[`validation_accuracy_${k}`] = e.accuracy;
      }
      metrics['validation_accuracy'] = mean(card.classes.map((_, k) => metrics[`validation_accuracy_${k}`] as number));
    }
    if (test.count > 0 && !o.skipTest) {
      const probs = await predictProbabilities(net, test, o.inputSize);
      const { targets, weights } = await labelsOf(test, classes);
      const acc = card.classes.map((_, k) => evaluateClass(probs, targets, weights, classes, k, thresholds[k] as number).accuracy);
      metrics['test_accuracy'] = mean(acc);
    }
    const finalCard = ModelCardSchema.parse({
      ...card,
      classThresholds: thresholds,
      provenance: { ...o.provenance, trainedAt: new Date().toISOString(), metrics },
    });
    const manifestPath = await saveMicraNetWeights(net, finalCard, o.modelDir);
    return { card: finalCard, metrics, manifestPath };
  } finally {
    net.dispose();
  }
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

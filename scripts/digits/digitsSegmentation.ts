// Segmentation quality of the benchmark's test fields, scored the way the app scores it
// (evaluation/localisationEvaluation.ts): for each present digit class of a field, the precise
// map (Grad-CAM of every block → PCA map → EM post-processing) and the coarse one (block 8's
// map through the same post-processing) against that class's digit mask, with F1, IoU and
// symmetric boundary Dice. Detection is not reported: its truth objects must be ≥ 400 px, and a
// digit covers ~150 px, so every digit would count as a sliver.
import { evaluateLocalisation } from '../../src-main/core/ml/evaluation/localisationEvaluation';
import type { MicraNet } from '../../src-main/core/ml/model/micranet';
import { DIGIT_CLASSES, digitField } from './digitFields';
import type { MapScores } from './digitsReport';

export interface SegmentationSummary {
  pairs: number;
  precise: MapScores;
  coarse: MapScores;
  preciseBetterThanCoarse: boolean | null;
}

/** Scores the first `o.fields` test fields; `onField` after each one. */
export async function segmentTestFields(
  net: MicraNet,
  o: { fields: number; size: number; probabilities: Float32Array },
  onField?: (done: number, total: number) => void,
): Promise<SegmentationSummary> {
  const sums = { precise: { f1: 0, iou: 0, sbd: 0 }, coarse: { f1: 0, iou: 0, sbd: 0 } };
  let pairs = 0;
  for (let i = 0; i < o.fields; i++) {
    const f = digitField('test', i, o.size);
    for (let d = 0; d < DIGIT_CLASSES; d++) {
      if (!f.labels[d]) continue;
      const probability = o.probabilities[i * DIGIT_CLASSES + d] as number;
      const e = await evaluateLocalisation(net, [{ pixels: f.pixels, truth: f.classMasks[d] as Uint8Array, probability }], o.size, d, 0.5);
      if (e.segmentedCrops !== 1) continue;
      for (const key of ['precise', 'coarse'] as const) {
        sums[key].f1 += e[key].f1;
        sums[key].iou += e[key].iou;
        sums[key].sbd += e[key].sbd;
      }
      pairs++;
    }
    onField?.(i + 1, o.fields);
  }
  const mean = (s: MapScores): MapScores => (pairs === 0 ? { f1: 0, iou: 0, sbd: 0 } : { f1: s.f1 / pairs, iou: s.iou / pairs, sbd: s.sbd / pairs });
  const precise = mean(sums.precise);
  const coarse = mean(sums.coarse);
  return { pairs, precise, coarse, preciseBetterThanCoarse: pairs === 0 ? null : precise.f1 > coarse.f1 };
}

// Segmentation and detection evaluation against ground-truth masks (synthetic SEM, cluttered
// digits, or expert masks): for each crop the class's Grad-CAM maps give the precise mask (PCA
// map → EM post-processing) and the coarse one (block-8 map through the same
// post-processing); both are scored with F1, IoU and symmetric boundary Dice (radius 2 px).
// Detection: objects of the precise mask of every crop predicted positive are matched to the
// truth's objects by centroid, one to one (Hungarian), within `maxDistance` pixels.
import { matchCentroids, segmentationScores, symmetricBoundaryDice, type Point2 } from '../../metrics';
import { computeMaps } from '../explain/micranetMaps';
import { scalarMap } from '../explain/scalarMap';
import type { MicraNet } from '../model/micranet';
import { emPostprocess } from '../postprocess/emPostprocess';
import { extractObjects } from '../postprocess/extractObjects';

export interface MaskedCrop {
  /** Preprocessed [size, size, channels]. */
  pixels: Float32Array;
  /** Ground truth of the class, size × size, 1 = inside. */
  truth: Uint8Array;
  /** The model's probability for the class (decides whether detections are made). */
  probability: number;
}

export interface MapScores {
  f1: number;
  iou: number;
  sbd: number;
}

export interface LocalisationEvaluation {
  /** Crops with a non-empty truth that were segmented. */
  segmentedCrops: number;
  precise: MapScores;
  coarse: MapScores;
  detection: { tp: number; fp: number; fn: number; precision: number; recall: number; f1: number; maxDistance: number };
}

/** Truth objects smaller than this (pixels) are slivers cut by the crop edge: not counted. */
export const MIN_TRUTH_OBJECT_AREA = 400;

function centroids(mask: Uint8Array, size: number, minArea: number): Point2[] {
  const objects = extractObjects({ data: mask, width: size, height: size }, scalarMap(new Float32Array(size * size), size, size));
  return objects.filter((o) => o.area >= minArea).map((o) => ({ x: o.centroid[0], y: o.centroid[1] }));
}

export async function evaluateLocalisation(
  net: MicraNet,
  crops: readonly MaskedCrop[],
  size: number,
  classIndex: number,
  threshold: number,
  maxDistance = 40,
): Promise<LocalisationEvaluation> {
  const sums = { precise: { f1: 0, iou: 0, sbd: 0 }, coarse: { f1: 0, iou: 0, sbd: 0 } };
  let segmented = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const crop of crops) {
    const truthMask = { data: crop.truth, width: size, height: size };
    const truthPoints = centroids(crop.truth, size, MIN_TRUTH_OBJECT_AREA);
    const hasTruth = crop.truth.some((v) => v !== 0);
    const positive = crop.probability >= threshold;
    if (!hasTruth && !positive) continue;
    const maps = await computeMaps(net, crop.pixels, size, size, classIndex);
    if (hasTruth) {
      const coarseMask = emPostprocess(maps.coarse);
      for (const [key, mask] of [['precise', maps.preciseMask], ['coarse', coarseMask]] as const) {
        const s = segmentationScores(truthMask, mask);
        sums[key].f1 += s.f1;
        sums[key].iou += s.iou;
        sums[key].sbd += symmetricBoundaryDice(truthMask, mask).sbd;
      }
      segmented++;
    }
    const predicted = positive ? centroids(maps.preciseMask.data, size, 1) : [];
    const d = matchCentroids(truthPoints, predicted, maxDistance);
    tp += d.tp;
    fp += d.fp;
    fn += d.fn;
  }
  const mean = (s: MapScores): MapScores =>
    segmented === 0 ? { f1: 0, iou: 0, sbd: 0 } : { f1: s.f1 / segmented, iou: s.iou / segmented, sbd: s.sbd / segmented };
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  return {
    segmentedCrops: segmented,
    precise: mean(sums.precise),
    coarse: mean(sums.coarse),
    detection: { tp, fp, fn, precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), maxDistance },
  };
}

// The sweep's "second look": a grid crop that scores just under the class threshold is looked
// at again, on a crop centred on where its map says the object is.
//
// Why: a grid crop scores what it holds. A small marker cut by a crop border leaves each crop
// only part of it (on held-out 4,096² sweeps, a 2,172 px² marker split 1,530 + 642 px scored
// 0.47 and 0.07 against a threshold of 0.85), while a crop centred on it scores as a crop of
// the whole marker. The block-4b map of the forward pass (paid already) says where the part
// lies, so the second look costs one more forward pass per peak of a crop in the band, and
// nothing for the many crops well under it. A centred crop that passes the threshold becomes
// a positive crop like any other (its objects are measured by objectSweep.ts); one that does
// not is dropped, so the class threshold, chosen on validation crops, still decides.
import type { ImageGeometry } from '../../../../src-shared/imageGeometry';
import { upsampleNearest, type ScalarMap } from '../explain/scalarMap';
import { objectCandidates } from '../postprocess/objectMask';
import type { CropPlacement } from './cropRegions';
import { centredPlacement, CANDIDATE_MERGE_DISTANCE, objectsOfPositives, type ObjectExplainer, type ObjectLedger, type PositiveCrop } from './objectSweep';
import type { JournalRegion } from './sweepJournal';

/**
 * The lowest grid score that earns a second look. From the diagnosis of held-out 4,096² sweeps
 * (scripts/heldOutSweepMisses.ts, seed 9101): the marker the grid missed had its best grid crop
 * at 0.47 (soft look) and 0.72 (crowded look), and its second look passed the threshold (0.87,
 * 0.95). The cost is one forward pass per map peak of every crop in the band: from 0.3, 15 of
 * 256 crops on the soft image and 49 on the crowded one. 0.45 holds both misses with half the
 * looks, but on a held-out pale image (seed 9303) it lost a marker that 0.3 finds, and on a quiet
 * machine 0.3 cost +9.5 % sweep time on the crowded image (+0.9 % on the soft one): a lost
 * marker costs a lab more than seconds. It also sets how much the screen keeps
 * (screenThreshold.ts keepFromScore: a crop the screen rules out gets no second look): on the
 * default model's held-out crops, from 0.3 the screen keeps 25 % of crops, from 0.45 15 %.
 */
export const SECOND_LOOK_FLOOR = 0.3;

/** The floor sweeps use: SECOND_LOOK_FLOOR, or MICRA_SECOND_LOOK_FLOOR (to measure another band). */
export function secondLookFloor(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env['MICRA_SECOND_LOOK_FLOOR']);
  return env['MICRA_SECOND_LOOK_FLOOR'] !== undefined && given >= 0 && given <= 1 ? given : SECOND_LOOK_FLOOR;
}

/** A grid crop the classifier scored, with its block-4b map (any size: it is upsampled). */
export interface ScoredCrop {
  /** Its index in the batch (the journal line an object found by its second look goes to). */
  index: number;
  place: CropPlacement;
  score: number;
  cam: ScalarMap;
}

/** Where a second look is centred, and which grid crop asked for it. */
export interface SecondLookPoint {
  source: number;
  x: number;
  y: number;
}

/** What the second look needs from the engines: forward passes of centred crops. */
export interface SecondLookScorer {
  readInput(rect: { x: number; y: number; width: number; height: number }): Promise<Float32Array>;
  /** Class probability and block-4b map of each input, in order. */
  score(inputs: Float32Array[]): Promise<Array<{ probability: number; cam: ScalarMap }>>;
}

/** Whether a grid score falls in the band that earns a second look. */
export function inSecondLookBand(score: number, threshold: number, floor: number = SECOND_LOOK_FLOOR): boolean {
  return score >= floor && score < threshold;
}

/**
 * The points a second look is centred on: the map peaks of every crop in the band, in image
 * pixels, except those inside objects already measured and near-duplicates of a point kept
 * (a marker cut by a border is seen by both its crops: one look is enough). Highest grid
 * score first.
 */
export function secondLookPoints(crops: readonly ScoredCrop[], threshold: number, ledger: Pick<ObjectLedger, 'covers'>, floor: number = SECOND_LOOK_FLOOR): SecondLookPoint[] {
  const points: SecondLookPoint[] = [];
  for (const c of [...crops].sort((a, b) => b.score - a.score)) {
    if (!inSecondLookBand(c.score, threshold, floor)) continue;
    const map = upsampleNearest(c.cam, c.place.size, c.place.size);
    for (const p of objectCandidates(map)) {
      if (p.x >= c.place.validWidth || p.y >= c.place.validHeight) continue;
      const x = c.place.x + p.x;
      const y = c.place.y + p.y;
      if (ledger.covers(x, y)) continue;
      if (points.some((q) => (q.x - x) ** 2 + (q.y - y) ** 2 < CANDIDATE_MERGE_DISTANCE ** 2)) continue;
      points.push({ source: c.index, x, y });
    }
  }
  return points;
}

/**
 * Scores a crop centred on each point (one engine batch) and returns those passing the
 * threshold as positive crops, for the object method to measure.
 */
export async function secondLook(
  scorer: SecondLookScorer,
  points: readonly SecondLookPoint[],
  threshold: number,
  size: number,
  image: Pick<ImageGeometry, 'width' | 'height'>,
): Promise<{ positives: PositiveCrop[]; looked: number }> {
  if (points.length === 0) return { positives: [], looked: 0 };
  const places = points.map((p) => centredPlacement(p.x, p.y, size, image));
  const inputs = await Promise.all(places.map((p) => scorer.readInput({ x: p.x, y: p.y, width: p.validWidth, height: p.validHeight })));
  const scored = await scorer.score(inputs);
  const positives: PositiveCrop[] = [];
  scored.forEach((s, i) => {
    if (s.probability < threshold) return;
    positives.push({ index: (points[i] as SecondLookPoint).source, place: places[i] as CropPlacement, score: s.probability, map: upsampleNearest(s.cam, size, size) });
  });
  return { positives, looked: points.length };
}

/**
 * The objects a batch's second looks find, by source crop index: call it after the batch's
 * positive crops were measured, so points inside their objects cost nothing.
 */
export async function secondLookObjects(
  scorer: SecondLookScorer,
  explainer: ObjectExplainer,
  crops: readonly ScoredCrop[],
  threshold: number,
  ledger: ObjectLedger,
  size: number,
  image: Pick<ImageGeometry, 'width' | 'height'>,
  floor: number = SECOND_LOOK_FLOOR,
): Promise<Map<number, JournalRegion[]>> {
  const { positives, looked } = await secondLook(scorer, secondLookPoints(crops, threshold, ledger, floor), threshold, size, image);
  ledger.secondLooks += looked;
  return positives.length > 0 ? objectsOfPositives(explainer, positives, ledger, size, image) : new Map();
}

/** Adds `more`'s regions to `into`, crop by crop. */
export function mergeRegions(into: Map<number, JournalRegion[]>, more: ReadonlyMap<number, JournalRegion[]>): Map<number, JournalRegion[]> {
  for (const [i, list] of more) into.set(i, [...(into.get(i) ?? []), ...list]);
  return into;
}

/** Whether sweeps take second looks: on, unless MICRA_SECOND_LOOK=0 (to time a sweep without them). */
export function secondLookEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['MICRA_SECOND_LOOK'] !== '0';
}

// The sweep's second look (src-main/core/ml/sweep/secondLook.ts): which grid crops earn one
// (the band just under the threshold, on known scores), where it is centred (the crop's map
// peaks, minus those in objects already measured and near-duplicates), and, with a synthetic
// "network" that scores a crop by the share of an object it holds, that a small object cut by
// a crop border (no grid crop passes the threshold) is found once, with its full area.
import { describe, expect, it } from 'vitest';
import type { ScalarMap } from '../../../src-main/core/ml/explain/scalarMap';
import { ObjectLedger, type ObjectExplainer } from '../../../src-main/core/ml/sweep/objectSweep';
import { inSecondLookBand, secondLook, secondLookEnabled, secondLookFloor, secondLookObjects, secondLookPoints, SECOND_LOOK_FLOOR, type ScoredCrop, type SecondLookScorer } from '../../../src-main/core/ml/sweep/secondLook';
import { gridCrops, sweepGrid } from '../../../src-main/core/ml/sweep/sweepGrid';
import { decodeMaskRle } from '../../../src-shared/maskRle';

const SIZE = 256;
const IMAGE = { width: 1024, height: 1024 };
const THRESHOLD = 0.85;

interface Disc {
  x: number;
  y: number;
  r: number;
}

/** A map of what a crop at (x, y) sees: 1 inside the discs, 0 elsewhere. */
function mapOf(discs: readonly Disc[], x0: number, y0: number, size = SIZE): ScalarMap {
  const data = new Float32Array(size * size);
  for (let j = 0; j < size; j++)
    for (let i = 0; i < size; i++) for (const d of discs) if ((x0 + i - d.x) ** 2 + (y0 + j - d.y) ** 2 <= d.r * d.r) data[j * size + i] = 1;
  return { data, width: size, height: size };
}

/** Share of the disc's pixels inside the crop at (x0, y0). */
function shareInside(d: Disc, x0: number, y0: number): number {
  let inside = 0;
  let all = 0;
  for (let y = d.y - d.r; y <= d.y + d.r; y++)
    for (let x = d.x - d.r; x <= d.x + d.r; x++) {
      if ((x - d.x) ** 2 + (y - d.y) ** 2 > d.r * d.r) continue;
      all++;
      if (x >= x0 && x < x0 + SIZE && y >= y0 && y < y0 + SIZE) inside++;
    }
  return inside / all;
}

/** The synthetic network: a crop holding a whole object scores 0.95, a cut one 0.9 × its share. */
function probabilityOf(discs: readonly Disc[], x0: number, y0: number): number {
  const best = Math.max(0, ...discs.map((d) => shareInside(d, x0, y0)));
  return best > 0.999 ? 0.95 : 0.9 * best;
}

function scorerFor(discs: readonly Disc[]): SecondLookScorer & { scored: Array<[number, number]> } {
  const scored: Array<[number, number]> = [];
  return {
    scored,
    readInput: async (rect) => Float32Array.of(rect.x, rect.y),
    score: async (inputs) =>
      inputs.map((v) => {
        scored.push([v[0]!, v[1]!]);
        return { probability: probabilityOf(discs, v[0]!, v[1]!), cam: mapOf(discs, v[0]!, v[1]!) };
      }),
  };
}

function explainerFor(discs: readonly Disc[]): ObjectExplainer {
  return {
    readInput: async (rect) => Float32Array.of(rect.x, rect.y),
    explain: async (inputs) => inputs.map((v) => ({ raw: mapOf(discs, v[0]!, v[1]!), probability: probabilityOf(discs, v[0]!, v[1]!) })),
  };
}

function gridScored(discs: readonly Disc[]): ScoredCrop[] {
  return gridCrops(sweepGrid(IMAGE.width, IMAGE.height, SIZE, SIZE), IMAGE.width, IMAGE.height).map((c, index) => ({
    index,
    place: { x: c.x, y: c.y, size: SIZE, validWidth: c.width, validHeight: c.height },
    score: probabilityOf(discs, c.x, c.y),
    cam: mapOf(discs, c.x, c.y),
  }));
}

describe('second look band', () => {
  it('takes scores from the floor up to, not including, the threshold', () => {
    expect(inSecondLookBand(SECOND_LOOK_FLOOR, THRESHOLD)).toBe(true);
    expect(inSecondLookBand(SECOND_LOOK_FLOOR - 0.001, THRESHOLD)).toBe(false);
    expect(inSecondLookBand(0.849, THRESHOLD)).toBe(true);
    expect(inSecondLookBand(THRESHOLD, THRESHOLD)).toBe(false);
    expect(inSecondLookBand(0.2, THRESHOLD, 0.1)).toBe(true);
  });

  it('is on unless MICRA_SECOND_LOOK=0', () => {
    expect(secondLookEnabled({})).toBe(true);
    expect(secondLookEnabled({ MICRA_SECOND_LOOK: '1' })).toBe(true);
    expect(secondLookEnabled({ MICRA_SECOND_LOOK: '0' })).toBe(false);
  });

  it('starts at SECOND_LOOK_FLOOR unless MICRA_SECOND_LOOK_FLOOR names another (to measure a band)', () => {
    expect(secondLookFloor({})).toBe(SECOND_LOOK_FLOOR);
    expect(secondLookFloor({ MICRA_SECOND_LOOK_FLOOR: '0.6' })).toBe(0.6);
    expect(secondLookFloor({ MICRA_SECOND_LOOK_FLOOR: 'high' })).toBe(SECOND_LOOK_FLOOR);
    expect(secondLookFloor({ MICRA_SECOND_LOOK_FLOOR: '2' })).toBe(SECOND_LOOK_FLOOR);
  });
});

describe('second look points', () => {
  const place = (x: number, y: number) => ({ x, y, size: SIZE, validWidth: SIZE, validHeight: SIZE });
  const blobAt = (cx: number, cy: number) => mapOf([{ x: cx, y: cy, r: 20 }], 0, 0);
  const none = { covers: () => false };

  it('looks only at crops in the band, at their map peaks in image pixels', () => {
    const crops: ScoredCrop[] = [
      { index: 0, place: place(0, 0), score: 0.95, cam: blobAt(100, 100) }, // positive: measured already
      { index: 1, place: place(256, 0), score: 0.6, cam: blobAt(50, 60) }, // in the band
      { index: 2, place: place(512, 0), score: 0.2, cam: blobAt(128, 128) }, // under the floor
    ];
    const points = secondLookPoints(crops, THRESHOLD, none);
    expect(points).toHaveLength(1);
    expect(points[0]!.source).toBe(1);
    expect(Math.hypot(points[0]!.x - (256 + 50), points[0]!.y - 60)).toBeLessThanOrEqual(2);
  });

  it('skips peaks inside objects already measured and near-duplicates of a kept point', () => {
    const crops: ScoredCrop[] = [
      { index: 0, place: place(0, 0), score: 0.5, cam: blobAt(240, 100) },
      { index: 1, place: place(256, 0), score: 0.7, cam: blobAt(0, 105) }, // the same object from the next crop, 16 px away
      { index: 2, place: place(0, 256), score: 0.6, cam: blobAt(100, 100) }, // inside a known object
    ];
    const covers = (x: number, y: number) => Math.hypot(x - 100, y - 356) < 30;
    const points = secondLookPoints(crops, THRESHOLD, { covers });
    expect(points).toHaveLength(1);
    expect(points[0]!.source).toBe(1); // the higher-scoring crop's view is kept
  });

  it('ignores peaks in the padding of a crop larger than the image part it covers', () => {
    const crops: ScoredCrop[] = [{ index: 0, place: { x: 0, y: 0, size: SIZE, validWidth: 100, validHeight: SIZE }, score: 0.6, cam: blobAt(200, 100) }];
    expect(secondLookPoints(crops, THRESHOLD, none)).toEqual([]);
  });
});

describe('second look on a sweep grid', () => {
  // A small object (r = 26, about 2,100 px²) across the vertical border x = 512: its two grid
  // crops hold 55 % and 45 % of it and score 0.50 and 0.41, both under the threshold (one in the band).
  const discs: Disc[] = [{ x: 506, y: 400, r: 26 }];

  it('centres a crop on the part a band crop sees, and keeps it when the whole object passes', async () => {
    const scorer = scorerFor(discs);
    const crops = gridScored(discs);
    expect(crops.filter((c) => c.score >= THRESHOLD)).toEqual([]);
    const points = secondLookPoints(crops, THRESHOLD, { covers: () => false });
    const { positives, looked } = await secondLook(scorer, points, THRESHOLD, SIZE, IMAGE);
    expect(looked).toBe(points.length);
    expect(positives.length).toBeGreaterThanOrEqual(1);
    for (const p of positives) expect(p.score).toBe(0.95);
  });

  it('finds the object once, with its area, and nothing when the band is empty', async () => {
    const ledger = new ObjectLedger();
    const regions = await secondLookObjects(scorerFor(discs), explainerFor(discs), gridScored(discs), THRESHOLD, ledger, SIZE, IMAGE);
    const all = [...regions.values()].flat();
    expect(all).toHaveLength(1);
    const r = all[0]!;
    const area = decodeMaskRle(r.mask).reduce((a, v) => a + v, 0);
    const trueArea = Math.PI * 26 * 26;
    expect(Math.abs(area - trueArea) / trueArea).toBeLessThan(0.2);
    expect(r.x).toBeLessThan(512);
    expect(r.x + r.width).toBeGreaterThan(512);
    expect(ledger.secondLooks).toBeGreaterThanOrEqual(1);
    // The same object again (a later batch): inside the ledger's object, no look is paid.
    const again = await secondLookObjects(scorerFor(discs), explainerFor(discs), gridScored(discs), THRESHOLD, ledger, SIZE, IMAGE);
    expect(again.size).toBe(0);
    // An object whose crops all score under the floor gets no look at all.
    const faint: Disc[] = [{ x: 506, y: 400, r: 10 }];
    const scorer = scorerFor(faint);
    const none = await secondLookObjects(scorer, explainerFor(faint), gridScored(faint).map((c) => ({ ...c, score: 0.1 })), THRESHOLD, new ObjectLedger(), SIZE, IMAGE);
    expect(none.size).toBe(0);
    expect(scorer.scored).toEqual([]);
  });
});

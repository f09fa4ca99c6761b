// Object extraction for detection and counting: each 8-connected region of a mask becomes an
// object with its bounding box, area, centroid and the mean of a score map over its pixels.
import type { BinaryMask, ScalarMap } from '../explain/scalarMap';
import { labelComponents } from './connectedComponents';

export interface DetectedObject {
  /** [x, y, width, height] in pixels, x/y of the top-left pixel. */
  box: [number, number, number, number];
  /** Pixel count. */
  area: number;
  /** Mean pixel index [x, y] (pixel (i, j) counts as the point (i, j), as in skimage). */
  centroid: [number, number];
  meanScore: number;
}

export function extractObjects(mask: BinaryMask, score: ScalarMap): DetectedObject[] {
  if (mask.width !== score.width || mask.height !== score.height) {
    throw new Error(`mask ${mask.width}×${mask.height} and score ${score.width}×${score.height} differ in size`);
  }
  const { labels, count } = labelComponents(mask, 8, 1);
  const n = count + 1;
  const minX = new Int32Array(n).fill(mask.width);
  const minY = new Int32Array(n).fill(mask.height);
  const maxX = new Int32Array(n).fill(-1);
  const maxY = new Int32Array(n).fill(-1);
  const area = new Float64Array(n);
  const sumX = new Float64Array(n);
  const sumY = new Float64Array(n);
  const sumScore = new Float64Array(n);
  const w = mask.width;
  for (let p = 0; p < labels.length; p++) {
    const l = labels[p] as number;
    if (l === 0) continue;
    const x = p % w;
    const y = (p - x) / w;
    if (x < (minX[l] as number)) minX[l] = x;
    if (x > (maxX[l] as number)) maxX[l] = x;
    if (y < (minY[l] as number)) minY[l] = y;
    if (y > (maxY[l] as number)) maxY[l] = y;
    area[l] = (area[l] as number) + 1;
    sumX[l] = (sumX[l] as number) + x;
    sumY[l] = (sumY[l] as number) + y;
    sumScore[l] = (sumScore[l] as number) + (score.data[p] as number);
  }
  const objects: DetectedObject[] = [];
  for (let l = 1; l < n; l++) {
    const a = area[l] as number;
    objects.push({
      box: [minX[l] as number, minY[l] as number, (maxX[l] as number) - (minX[l] as number) + 1, (maxY[l] as number) - (minY[l] as number) + 1],
      area: a,
      centroid: [(sumX[l] as number) / a, (sumY[l] as number) / a],
      meanScore: (sumScore[l] as number) / a,
    });
  }
  return objects;
}

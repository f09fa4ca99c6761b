// The held-out evaluation images of scripts/heldOutStyles.ts, cut on the sweep's 256² grid: one
// definition, so the engine's figures (heldOutStyles.ts) and the PyTorch trainer's quick check
// (exportSemCrops.ts --eval, read by trainDefaultTorch.py --eval-dir) score the same crops.
import { deriveSeed } from '../test/generators/sem/prng';
import { generateSemTile, semCropLabel, type SemMarker } from '../test/generators/sem';
import type { SemStyleFamily } from '../test/generators/sem/semStyle';

export const CROP = 256;
export const MIN_MARKER_PIXELS = 400;
/** Seeds of the held-out images: far from the training (101), validation (202) and test (303) streams. */
export const EVAL_SEED = 777_001;
export interface Crop {
  pixels: Float32Array;
  label: 0 | 1;
  /** Markers this crop finds when positive. */
  covers: number[];
}

export interface FamilyData {
  family: SemStyleFamily;
  crops: Crop[];
  markers: SemMarker[];
}

export function cutHeldOutTiles(family: SemStyleFamily, tiles: number, size: number, markersPerTile: number): FamilyData {
  const crops: Crop[] = [];
  const markers: SemMarker[] = [];
  for (let t = 0; t < tiles; t++) {
    const tile = generateSemTile({ width: size, height: size, seed: deriveSeed(EVAL_SEED, t), markerCount: markersPerTile, style: family });
    const base = markers.length;
    markers.push(...tile.markers);
    for (let y = 0; y + CROP <= size; y += CROP) {
      for (let x = 0; x + CROP <= size; x += CROP) {
        const { label } = semCropLabel(tile.markers, tile.mask, size, x, y, CROP, MIN_MARKER_PIXELS);
        const covers: number[] = [];
        tile.markers.forEach((m, k) => {
          if (semCropLabel([m], tile.mask, size, x, y, CROP, MIN_MARKER_PIXELS).label === 1) covers.push(base + k);
        });
        const pixels = new Float32Array(CROP * CROP);
        for (let j = 0; j < CROP; j++) for (let i = 0; i < CROP; i++) pixels[j * CROP + i] = (tile.pixels[(y + j) * size + x + i] as number) / 255;
        crops.push({ pixels, label, covers });
      }
    }
  }
  return { family, crops, markers };
}


// Paints one rectangular region of a synthetic SEM image (grey levels as floats, before blur
// and sensor noise). Everything is a function of absolute pixel coordinates, so neighbouring
// regions join without seams. Layers, bottom to top:
//   neuropil: Voronoi cells warped by smooth noise → curvy membranes (thin dark lines), some
//             neighbouring cells merged (no membrane) so profiles vary in size and shape;
//   mitochondria (dark outline, striped cristae), vesicle clusters (small dark rings),
//   myelinated axons (thick dark rings around light axoplasm),
//   DAB markers (dark, granular filled blobs with a dark rim).
import { hash3, hashUnit } from './prng';
import { CoarseField, fractalNoise, valueNoise } from './valueNoise';
import { outlineRadius, type MarkerShape } from './semMarkers';
import type { SemStyle } from './semStyle';
import {
  MITO_CELL,
  MYELIN_CELL,
  SMALL_AXON_CELL,
  VESICLE_CELL,
  mitochondrionInCell,
  myelinInCell,
  objectsInRect,
  smallAxonInCell,
  vesicleClusterInCell,
  type MarkerIndex,
  type Mitochondrion,
  type MyelinAxon,
  type SmallAxon,
  type VesicleCluster,
} from './semObjects';

/** Domain warp of the Voronoi plane: a broad bend plus a finer wiggle, so borders curve. */
const WARP_AMPLITUDE = 15;
const WIGGLE_AMPLITUDE = 6;
const MEMBRANE_SIGMA = 1.05;
const MERGE_PROBABILITY = 0.14;
// The style gives the Voronoi spacing of the profiles (cellSize), the background grey, the
// membrane darkness and the amplitude of the per-pixel grain added before the blur.

export interface Region {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

export function renderRegion(seed: number, style: SemStyle, markers: MarkerIndex, r: Region): Float32Array {
  const out = new Float32Array(r.width * r.height);
  paintNeuropil(seed, style, r, out);
  const x1 = r.x0 + r.width;
  const y1 = r.y0 + r.height;
  for (const a of objectsInRect(SMALL_AXON_CELL, 0, r.x0, r.y0, x1, y1, (gx, gy) => smallAxonInCell(seed, style, markers, gx, gy))) paintSmallAxon(a, r, out);
  for (const m of objectsInRect(MITO_CELL, 90, r.x0, r.y0, x1, y1, (gx, gy) => mitochondrionInCell(seed, style, markers, gx, gy))) paintMitochondrion(seed, m, r, out);
  for (const v of objectsInRect(VESICLE_CELL, 50, r.x0, r.y0, x1, y1, (gx, gy) => vesicleClusterInCell(seed, style, markers, gx, gy))) paintVesicles(v, r, out);
  for (const a of objectsInRect(MYELIN_CELL, 0, r.x0, r.y0, x1, y1, (gx, gy) => myelinInCell(seed, style, markers, gx, gy))) paintMyelin(seed, a, r, out);
  for (const s of markers.inRect(r.x0 - 3, r.y0 - 3, x1 + 3, y1 + 3)) paintMarker(seed, style, s, r, out);
  for (let j = 0; j < r.height; j++) {
    for (let i = 0; i < r.width; i++) out[j * r.width + i] = (out[j * r.width + i] as number) + style.grain * (hashUnit(seed, r.x0 + i, r.y0 + j, 29) - 0.5);
  }
  return out;
}

function paintNeuropil(seed: number, style: SemStyle, r: Region, out: Float32Array): void {
  const cell = style.cellSize;
  const pad = WARP_AMPLITUDE + WIGGLE_AMPLITUDE + 2;
  const field = (step: number, f: (x: number, y: number) => number) => new CoarseField(r.x0 - step, r.y0 - step, r.width + 2 * step, r.height + 2 * step, step, f);
  const warpX = field(4, (x, y) => WARP_AMPLITUDE * valueNoise(seed, 11, x, y, 130) + WIGGLE_AMPLITUDE * valueNoise(seed, 12, x, y, 38));
  const warpY = field(4, (x, y) => WARP_AMPLITUDE * valueNoise(seed, 13, x, y, 130) + WIGGLE_AMPLITUDE * valueNoise(seed, 14, x, y, 38));
  // Broad shading of the section plus a finer mottling of the cytoplasm.
  const shade = field(4, (x, y) => 12 * fractalNoise(seed, 17, x, y, 420) + 9 * fractalNoise(seed, 21, x, y, 14));
  // Seeds of every Voronoi cell the warped region can see, one per grid cell.
  const gx0 = Math.floor((r.x0 - pad) / cell) - 1;
  const gy0 = Math.floor((r.y0 - pad) / cell) - 1;
  const cols = Math.floor((r.x0 + r.width + pad) / cell) + 2 - gx0;
  const rows = Math.floor((r.y0 + r.height + pad) / cell) + 2 - gy0;
  const sx = new Float32Array(cols * rows);
  const sy = new Float32Array(cols * rows);
  const sg = new Float32Array(cols * rows);
  const sid = new Int32Array(cols * rows);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const gx = gx0 + i;
      const gy = gy0 + j;
      const k = j * cols + i;
      sx[k] = (gx + 0.05 + 0.9 * hashUnit(seed, gx, gy, 3)) * cell;
      sy[k] = (gy + 0.05 + 0.9 * hashUnit(seed, gx, gy, 5)) * cell;
      sg[k] = 14 * (hashUnit(seed, gx, gy, 7) - 0.5);
      sid[k] = hash3(seed, gx, gy, 9) | 0;
    }
  }
  const rowWarpX = new Float32Array(r.width);
  const rowWarpY = new Float32Array(r.width);
  const rowShade = new Float32Array(r.width);
  for (let j = 0; j < r.height; j++) {
    const y = r.y0 + j;
    warpX.row(r.x0, y, rowWarpX);
    warpY.row(r.x0, y, rowWarpY);
    shade.row(r.x0, y, rowShade);
    for (let i = 0; i < r.width; i++) {
      const x = r.x0 + i;
      const qx = x + (rowWarpX[i] as number);
      const qy = y + (rowWarpY[i] as number);
      const ci = Math.floor(qx / cell) - gx0;
      const cj = Math.floor(qy / cell) - gy0;
      let d1 = Infinity;
      let d2 = Infinity;
      let k1 = 0;
      let k2 = 0;
      for (let dj = -1; dj <= 1; dj++) {
        const row = (cj + dj) * cols;
        for (let di = -1; di <= 1; di++) {
          const k = row + ci + di;
          const dx = (sx[k] as number) - qx;
          const dy = (sy[k] as number) - qy;
          const d = dx * dx + dy * dy;
          if (d < d1) {
            d2 = d1;
            k2 = k1;
            d1 = d;
            k1 = k;
          } else if (d < d2) {
            d2 = d;
            k2 = k;
          }
        }
      }
      // Distance from the warped point to the bisector of its two nearest seeds.
      const ex = (sx[k2] as number) - (sx[k1] as number);
      const ey = (sy[k2] as number) - (sy[k1] as number);
      const edge = (d2 - d1) / (2 * Math.sqrt(ex * ex + ey * ey));
      let v = style.background + (sg[k1] as number) + (rowShade[i] as number);
      if (edge < 7) {
        const a = sid[k1] as number;
        const b = sid[k2] as number;
        const pair = hash3(seed, Math.min(a, b), Math.max(a, b), 19);
        if (pair / 4294967296 < MERGE_PROBABILITY) {
          // Merged profiles: blend their shades across the missing border.
          v += ((sg[k2] as number) - (sg[k1] as number)) * 0.5 * (1 - edge / 7);
        } else {
          const darkness = (55 + ((pair >>> 8) & 31)) * style.membraneDarkness;
          const sigma = MEMBRANE_SIGMA * (0.85 + ((pair >>> 16) & 15) / 30);
          v -= darkness * Math.exp((-edge * edge) / (2 * sigma * sigma));
        }
      }
      out[j * r.width + i] = v;
    }
  }
}

function clampBox(r: Region, cx: number, cy: number, reach: number): [number, number, number, number] {
  return [
    Math.max(r.x0, Math.floor(cx - reach)),
    Math.max(r.y0, Math.floor(cy - reach)),
    Math.min(r.x0 + r.width - 1, Math.ceil(cx + reach)),
    Math.min(r.y0 + r.height - 1, Math.ceil(cy + reach)),
  ];
}

const clamp01 = (t: number): number => (t < 0 ? 0 : t > 1 ? 1 : t);

function paintSmallAxon(a: SmallAxon, r: Region, out: Float32Array): void {
  const [xa, ya, xb, yb] = clampBox(r, a.x, a.y, a.r + 4);
  for (let y = ya; y <= yb; y++) {
    for (let x = xa; x <= xb; x++) {
      const d = Math.sqrt((x - a.x) ** 2 + (y - a.y) ** 2);
      const k = (y - r.y0) * r.width + (x - r.x0);
      const inside = clamp01(a.r - d + 0.5);
      const edge = d - a.r;
      out[k] = (out[k] as number) * (1 - inside) + a.gray * inside - 72 * Math.exp(-(edge * edge) / (2 * 1.05 * 1.05));
    }
  }
}

function paintMitochondrion(seed: number, m: Mitochondrion, r: Region, out: Float32Array): void {
  const [xa, ya, xb, yb] = clampBox(r, m.x, m.y, m.a + 3);
  for (let y = ya; y <= yb; y++) {
    for (let x = xa; x <= xb; x++) {
      const dx = x - m.x;
      const dy = y - m.y;
      const u = dx * m.cos + dy * m.sin;
      const v = -dx * m.sin + dy * m.cos;
      // Approximate signed distance to the ellipse, in pixels of the short axis.
      const sd = (Math.sqrt((u / m.a) ** 2 + (v / m.b) ** 2) - 1) * m.b;
      const cover = clamp01(0.5 - sd);
      if (cover === 0) continue;
      const k = (y - r.y0) * r.width + (x - r.x0);
      const cristae = Math.cos((2 * Math.PI * (u + 2.5 * Math.sin(v / 4 + m.phase))) / m.cristaePeriod);
      let g = 128 - 34 * Math.max(0, cristae) ** 3 + 6 * valueNoise(seed, 31, x, y, 3);
      if (sd > -3) g = 72; // double outer membrane
      out[k] = (out[k] as number) * (1 - cover) + g * cover;
    }
  }
}

function paintVesicles(c: VesicleCluster, r: Region, out: Float32Array): void {
  for (const ves of c.vesicles) {
    const [xa, ya, xb, yb] = clampBox(r, ves.x, ves.y, ves.r + 3);
    for (let y = ya; y <= yb; y++) {
      for (let x = xa; x <= xb; x++) {
        const d = Math.sqrt((x - ves.x) ** 2 + (y - ves.y) ** 2);
        const k = (y - r.y0) * r.width + (x - r.x0);
        const ring = d - ves.r;
        let g = out[k] as number;
        if (ring < 0) g = Math.max(g, 178); // light lumen
        g -= 70 * Math.exp(-(ring * ring) / (2 * 0.75 * 0.75));
        out[k] = g;
      }
    }
  }
}

function paintMyelin(seed: number, a: MyelinAxon, r: Region, out: Float32Array): void {
  const [xa, ya, xb, yb] = clampBox(r, a.x, a.y, a.rOut * 1.07 + 2);
  for (let y = ya; y <= yb; y++) {
    for (let x = xa; x <= xb; x++) {
      const dx = x - a.x;
      const dy = y - a.y;
      const d = Math.sqrt(dx * dx + dy * dy);
      const theta = Math.atan2(dy, dx);
      let f = 1;
      for (const w of a.wobble) f += w.amp * Math.cos(w.k * theta + w.phase);
      const outer = clamp01(a.rOut * f - d + 0.5);
      if (outer === 0) continue;
      let fi = f;
      for (const w of a.innerWobble) fi += w.amp * Math.cos(w.k * theta + w.phase);
      const inner = clamp01(a.rIn * fi - d + 0.5);
      const k = (y - r.y0) * r.width + (x - r.x0);
      // Compact lamellae: dark and fairly smooth, with faint concentric banding.
      const ring = a.ringGray + 4 * Math.cos(d * 2.1) + 5 * valueNoise(seed, 33, x, y, 4);
      const axoplasm = a.axoplasmGray + 7 * valueNoise(seed, 35, x, y, 3);
      let g = (out[k] as number) * (1 - outer) + ring * outer;
      g = g * (1 - inner) + axoplasm * inner;
      out[k] = g;
    }
  }
}

function paintMarker(seed: number, style: SemStyle, s: MarkerShape, r: Region, out: Float32Array): void {
  const o = s.outline;
  const [xa, ya, xb, yb] = clampBox(r, o.x, o.y, o.reach + 4);
  for (let y = ya; y <= yb; y++) {
    for (let x = xa; x <= xb; x++) {
      const dx = x - o.x;
      const dy = y - o.y;
      const d = Math.sqrt(dx * dx + dy * dy);
      const edge = outlineRadius(o, Math.atan2(dy, dx)) - d; // > 0 inside
      if (edge < -3) continue;
      const k = (y - r.y0) * r.width + (x - r.x0);
      if (edge < 0) {
        // Dark rim: the labelled profile's membrane.
        out[k] = (out[k] as number) - style.markerRim * (1 + edge / 3);
        continue;
      }
      // DAB precipitate: dark, coarse-grained and clumpy — rougher than myelin.
      const clumps = valueNoise(seed, 41, x, y, style.markerClumpScale);
      const grain = valueNoise(seed, 43, x, y, 3.5);
      const speck = hashUnit(seed, x, y, 45) - 0.5;
      let g = s.gray + style.markerClumps * clumps + style.markerGrain * grain + style.markerSpeck * speck;
      if (edge < 4) g -= 10 * (1 - edge / 4);
      out[k] = g;
    }
  }
}

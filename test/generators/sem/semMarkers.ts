// The DAB-like markers of a synthetic SEM tile: irregular filled blobs (axon profiles full of
// dark precipitate), 60–170 px across, placed without overlap and fully inside the image so
// every marker is one connected component of the ground-truth mask.
//
// Coordinates: pixel (x, y) has its centre at (x, y); a marker's centroid is the mean of the
// (x, y) of its mask pixels.
import { mulberry32, uniform, type Random } from './prng';

export interface SemMarker {
  id: number;
  /** Centroid of the marker's mask pixels. */
  cx: number;
  cy: number;
  /** Tight bounding box of the mask pixels: [x, y, width, height]. */
  box: [number, number, number, number];
  /** Number of mask pixels. */
  area: number;
}

/** A placed marker with its rasterised shape and rendering parameters. */
export interface MarkerShape {
  marker: SemMarker;
  /** Shape bitmap (1 = inside), bw × bh, its top-left pixel at (bx, by). */
  bitmap: Uint8Array;
  bx: number;
  by: number;
  bw: number;
  bh: number;
  /** Mean grey level of the precipitate. */
  gray: number;
  /** The outline the bitmap was rasterised from (the renderer draws the rim from it). */
  outline: Outline;
}

/** Nominal diameters drawn in this range; with the ±12 % outline wobble every box stays in 60–170 px. */
export const MARKER_NOMINAL_DIAMETER: readonly [number, number] = [72, 150];
const WOBBLE_TOTAL = 0.12;
/** Free space kept between two markers (room for their membranes). */
const MARKER_GAP = 16;

export interface Outline {
  x: number;
  y: number;
  radius: number;
  harmonics: Array<{ k: number; amp: number; phase: number }>;
}

function drawOutline(rand: Random, x: number, y: number, radius: number): Outline {
  // Random amplitudes for harmonics 2..5, rescaled so they sum to at most WOBBLE_TOTAL: the blob
  // stays star-shaped (no self-intersection) and its extent stays within radius·(1 ± 0.12).
  const raw = [2, 3, 4, 5].map((k) => ({ k, amp: rand() / k, phase: uniform(rand, 0, 2 * Math.PI) }));
  const sum = raw.reduce((s, h) => s + h.amp, 0);
  const scale = (WOBBLE_TOTAL * uniform(rand, 0.5, 1)) / sum;
  return { x, y, radius, harmonics: raw.map((h) => ({ ...h, amp: h.amp * scale })) };
}

export function outlineRadius(o: Outline, theta: number): number {
  let f = 1;
  for (const h of o.harmonics) f += h.amp * Math.cos(h.k * theta + h.phase);
  return o.radius * f;
}

function rasterise(o: Outline, id: number, gray: number): MarkerShape {
  const reach = Math.ceil(o.radius * (1 + WOBBLE_TOTAL)) + 1;
  const bx = Math.floor(o.x) - reach;
  const by = Math.floor(o.y) - reach;
  const bw = 2 * reach + 2;
  const bh = 2 * reach + 2;
  const bitmap = new Uint8Array(bw * bh);
  let area = 0;
  let sx = 0;
  let sy = 0;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let j = 0; j < bh; j++) {
    for (let i = 0; i < bw; i++) {
      const px = bx + i;
      const py = by + j;
      const dx = px - o.x;
      const dy = py - o.y;
      if (Math.hypot(dx, dy) > outlineRadius(o, Math.atan2(dy, dx))) continue;
      bitmap[j * bw + i] = 1;
      area++;
      sx += px;
      sy += py;
      minX = Math.min(minX, px);
      minY = Math.min(minY, py);
      maxX = Math.max(maxX, px);
      maxY = Math.max(maxY, py);
    }
  }
  return {
    marker: { id, cx: sx / area, cy: sy / area, box: [minX, minY, maxX - minX + 1, maxY - minY + 1], area },
    bitmap,
    bx,
    by,
    bw,
    bh,
    gray,
    outline: o,
  };
}

/**
 * Places up to `count` markers by rejection sampling; fewer when the image has no room left
 * (an image smaller than about 180 px gets none).
 */
export function placeMarkers(seed: number, width: number, height: number, count: number): MarkerShape[] {
  const rand = mulberry32(seed ^ 0x6d61726b);
  const placed: Array<{ x: number; y: number; reach: number }> = [];
  const shapes: MarkerShape[] = [];
  const maxAttempts = 50 * count + 100;
  for (let attempt = 0; attempt < maxAttempts && shapes.length < count; attempt++) {
    const radius = uniform(rand, MARKER_NOMINAL_DIAMETER[0], MARKER_NOMINAL_DIAMETER[1]) / 2;
    const reach = radius * (1 + WOBBLE_TOTAL);
    const margin = reach + 2;
    if (width < 2 * margin || height < 2 * margin) {
      // Still draw the outline so the sequence does not depend on the size check.
      drawOutline(rand, 0, 0, radius);
      continue;
    }
    const x = uniform(rand, margin, width - margin);
    const y = uniform(rand, margin, height - margin);
    const outline = drawOutline(rand, x, y, radius);
    const gray = uniform(rand, 30, 48);
    if (placed.some((p) => Math.hypot(p.x - x, p.y - y) < p.reach + reach + MARKER_GAP)) continue;
    placed.push({ x, y, reach });
    shapes.push(rasterise(outline, shapes.length, gray));
  }
  return shapes;
}

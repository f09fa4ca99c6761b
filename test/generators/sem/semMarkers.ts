// The DAB-like markers of a synthetic SEM tile: irregular filled blobs (axon profiles full of
// dark precipitate), placed without overlap and fully inside the image so every marker is one
// connected component of the ground-truth mask. Size, irregularity, elongation and grey come
// from the image's style (classic: 60–170 px across, round-ish).
//
// Coordinates: pixel (x, y) has its centre at (x, y); a marker's centroid is the mean of the
// (x, y) of its mask pixels.
import { mulberry32, uniform, type Random } from './prng';
import { CLASSIC_STYLE, type SemStyle } from './semStyle';

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

/** Classic style: nominal diameters drawn in this range; with its ±12 % wobble every box stays in 60–170 px. */
export const MARKER_NOMINAL_DIAMETER: readonly [number, number] = CLASSIC_STYLE.markerDiameter;
/** Free space kept between two markers (room for their membranes). */
const MARKER_GAP = 16;

export interface Outline {
  x: number;
  y: number;
  radius: number;
  harmonics: Array<{ k: number; amp: number; phase: number }>;
  /** Area-preserving stretch along `angle` (1 = round). */
  stretch: number;
  angle: number;
  /** Upper bound of the outline's distance from (x, y). */
  reach: number;
}

/** The largest extent of a marker of nominal radius `radius` in this style. */
function styleReach(style: SemStyle, radius: number): number {
  return radius * (1 + style.markerWobble) * Math.sqrt(style.markerElongation);
}

function drawOutline(rand: Random, x: number, y: number, radius: number, style: SemStyle): Outline {
  // Random amplitudes for harmonics 2..5, rescaled so they sum to at most the style's wobble
  // (< 1): the blob stays star-shaped (no self-intersection) and its extent stays within
  // radius·(1 ± wobble).
  const raw = [2, 3, 4, 5].map((k) => ({ k, amp: rand() / k, phase: uniform(rand, 0, 2 * Math.PI) }));
  const sum = raw.reduce((s, h) => s + h.amp, 0);
  const scale = (style.markerWobble * uniform(rand, 0.5, 1)) / sum;
  // Elongation draws nothing in a round style, so classic sequences are unchanged.
  const stretch = style.markerElongation > 1 ? uniform(rand, 1, style.markerElongation) : 1;
  const angle = style.markerElongation > 1 ? uniform(rand, 0, Math.PI) : 0;
  return { x, y, radius, harmonics: raw.map((h) => ({ ...h, amp: h.amp * scale })), stretch, angle, reach: styleReach(style, radius) };
}

export function outlineRadius(o: Outline, theta: number): number {
  let f = 1;
  for (const h of o.harmonics) f += h.amp * Math.cos(h.k * theta + h.phase);
  if (o.stretch === 1) return o.radius * f;
  // Polar radius of an ellipse with semi-axes √s and 1/√s (area kept) at angle theta − angle.
  const c = Math.cos(theta - o.angle);
  const s = Math.sin(theta - o.angle);
  return (o.radius * f) / Math.sqrt((c * c) / o.stretch + s * s * o.stretch);
}

function rasterise(o: Outline, id: number, gray: number): MarkerShape {
  const reach = Math.ceil(o.reach) + 1;
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
export function placeMarkers(seed: number, width: number, height: number, count: number, style: SemStyle = CLASSIC_STYLE): MarkerShape[] {
  const rand = mulberry32(seed ^ 0x6d61726b);
  const placed: Array<{ x: number; y: number; reach: number }> = [];
  const shapes: MarkerShape[] = [];
  const maxAttempts = 50 * count + 100;
  for (let attempt = 0; attempt < maxAttempts && shapes.length < count; attempt++) {
    const [d0, d1] = style.markerDiameter;
    const radius =
      style.sizeLaw === 'uniformDiameter'
        ? uniform(rand, d0, d1) / 2
        : // log-uniform area: small markers as common per octave of area as large ones
          (d0 / 2) * Math.exp(0.5 * uniform(rand, 0, 2 * Math.log(d1 / d0)));
    const reach = styleReach(style, radius);
    const margin = reach + 2;
    if (width < 2 * margin || height < 2 * margin) {
      // Still draw the outline so the sequence does not depend on the size check.
      drawOutline(rand, 0, 0, radius, style);
      continue;
    }
    const x = uniform(rand, margin, width - margin);
    const y = uniform(rand, margin, height - margin);
    const outline = drawOutline(rand, x, y, radius, style);
    const gray = uniform(rand, style.markerGray[0], style.markerGray[1]);
    if (placed.some((p) => Math.hypot(p.x - x, p.y - y) < p.reach + reach + MARKER_GAP)) continue;
    placed.push({ x, y, reach });
    shapes.push(rasterise(outline, shapes.length, gray));
  }
  return shapes;
}

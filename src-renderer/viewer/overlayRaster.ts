// Pure conversions of overlay rasters (masks, score maps) to RGBA texels for the GPU.

export type Rgb = readonly [number, number, number];

/** A binary or 0..255 mask → colour with the mask as opacity (scaled by `opacity`). */
export function maskToRgba(mask: Uint8Array, color: Rgb, opacity: number): Uint8Array {
  const out = new Uint8Array(mask.length * 4);
  for (let i = 0; i < mask.length; i++) {
    const m = mask[i] as number;
    const a = m === 0 ? 0 : Math.round((m === 1 ? 255 : m) * opacity);
    out[i * 4] = color[0];
    out[i * 4 + 1] = color[1];
    out[i * 4 + 2] = color[2];
    out[i * 4 + 3] = a;
  }
  return out;
}

// A compact perceptual ramp (dark blue → teal → yellow), sampled at 5 stops.
const RAMP: readonly Rgb[] = [
  [48, 18, 59],
  [40, 120, 200],
  [30, 190, 150],
  [200, 220, 50],
  [250, 250, 100],
];

export function rampColor(v: number): Rgb {
  const x = Math.min(1, Math.max(0, v)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const a = RAMP[i] as Rgb;
  const b = RAMP[i + 1] as Rgb;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/** Scores in 0..1 → ramp colours; opacity grows with the score so low scores stay see-through. */
export function heatmapToRgba(scores: Float32Array, opacity: number): Uint8Array {
  const out = new Uint8Array(scores.length * 4);
  for (let i = 0; i < scores.length; i++) {
    const v = Math.min(1, Math.max(0, scores[i] as number));
    const [r, g, b] = rampColor(v);
    out[i * 4] = r;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = b;
    out[i * 4 + 3] = Math.round(255 * opacity * v);
  }
  return out;
}

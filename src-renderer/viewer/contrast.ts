// Display settings of an image (contrast window, gamma, invert) in stored sample units, and
// the automatic window from a histogram. The shader receives them normalised to 0..1.

export interface DisplaySettings {
  /** Sample value shown as black (white when inverted). */
  readonly min: number;
  /** Sample value shown as white. */
  readonly max: number;
  /** Output = t^(1/gamma): gamma > 1 brightens the mid-tones. */
  readonly gamma: number;
  readonly invert: boolean;
}

export const maxSampleValue = (bitsPerSample: 8 | 16): number => (bitsPerSample === 16 ? 65535 : 255);

/** Identity mapping: every stored value shown as itself (8-bit) or scaled linearly (16-bit). */
export function defaultDisplay(bitsPerSample: 8 | 16): DisplaySettings {
  return { min: 0, max: maxSampleValue(bitsPerSample), gamma: 1, invert: false };
}

export interface Histogram {
  /** 256 bins spanning the full range of the stored bit depth. */
  readonly histogram: readonly number[];
  readonly min: number;
  readonly max: number;
}

/**
 * Contrast window that clips `lowFraction` of the samples to black and `highFraction` to
 * white (defaults 0.5 % / 99.5 %), resolved to histogram bin edges and kept inside the
 * actual data range.
 */
export function autoWindow(
  stats: Histogram,
  bitsPerSample: 8 | 16,
  lowFraction = 0.005,
  highFraction = 0.995,
): { min: number; max: number } {
  const bins = stats.histogram.length;
  const total = stats.histogram.reduce((a, b) => a + b, 0);
  if (total === 0 || bins === 0) return { min: stats.min, max: stats.max };
  const binWidth = (maxSampleValue(bitsPerSample) + 1) / bins;
  let cumulative = 0;
  let lowBin = 0;
  let highBin = bins - 1;
  let lowFound = false;
  for (let i = 0; i < bins; i++) {
    cumulative += stats.histogram[i] ?? 0;
    if (!lowFound && cumulative > total * lowFraction) {
      lowBin = i;
      lowFound = true;
    }
    if (cumulative >= total * highFraction) {
      highBin = i;
      break;
    }
  }
  let min = Math.max(stats.min, lowBin * binWidth);
  let max = Math.min(stats.max, (highBin + 1) * binWidth - 1);
  if (max <= min) {
    // A nearly constant image: fall back to its full range so the window is never empty.
    min = stats.min;
    max = stats.max > stats.min ? stats.max : stats.min + 1;
  }
  return { min, max };
}

/** Uniform values for the shader: window normalised to the texture's 0..1 range. */
export function shaderWindow(d: DisplaySettings, bitsPerSample: 8 | 16): { low: number; high: number } {
  const full = maxSampleValue(bitsPerSample);
  return { low: d.min / full, high: Math.max(d.max, d.min + 1e-6) / full };
}

/** CPU reference of the shader's mapping for one normalised sample; used by tests and readouts. */
export function displayValue(sample01: number, low: number, high: number, gamma: number, invert: boolean): number {
  let t = Math.min(1, Math.max(0, (sample01 - low) / (high - low)));
  if (gamma !== 1 && t > 0) t = Math.pow(t, 1 / gamma);
  return invert ? 1 - t : t;
}

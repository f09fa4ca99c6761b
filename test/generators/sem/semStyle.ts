// The look of a synthetic SEM image: marker size and shape, precipitate contrast and grain,
// tissue object densities, membranes, blur, noise and tone. A style is a plain record of numbers;
// `generateSemTile({ …, style })` takes either a record or the name of a style family:
//
//   'classic'            the fixed look the generator always had (the default: old callers and
//                        seeds give the same bytes as before);
//   'varied'             the TRAINING family: every image (every source tile of generateSemCrops)
//                        draws its own style from wide ranges, seeded by the image seed;
//   'heldout-crowded'    HELD OUT: far denser myelin, mitochondria and vesicles and smaller
//                        neuropil profiles than training ever draws (object mix outside 'varied');
//   'heldout-soft'       HELD OUT: blurrier, noisier, flatter (low gain, high gamma) than any
//                        training style;
//   'heldout-pale'       HELD OUT: bright images (positive offset, low gamma) with pale,
//                        weakly granular markers and a faint rim.
//
// The held-out families use parameter ranges disjoint from 'varied' on the parameters that
// define them (see HELD_OUT ranges below), so a model trained on 'varied' never saw them. Marker
// areas in every drawn family span 1,500–20,000 px² (log-uniform per marker).
//
//   drawSemStyle(family, seed) → SemStyle     resolveSemStyle(style | family | undefined, seed)
import { mulberry32, uniform, type Random } from './prng';

export interface SemStyle {
  /** How marker sizes are drawn: uniform in diameter (classic) or log-uniform in area. */
  sizeLaw: 'uniformDiameter' | 'logUniformArea';
  /** Nominal marker diameter range in px (for logUniformArea: the diameters of equal-area discs). */
  markerDiameter: [number, number];
  /** Largest total amplitude of the outline's harmonics (irregularity). */
  markerWobble: number;
  /** Largest long/short axis ratio of a marker (1 = round). */
  markerElongation: number;
  /** Range of the precipitate's mean grey level. */
  markerGray: [number, number];
  /** Amplitudes of the precipitate's clumps, fine grain and per-pixel specks; clump size in px. */
  markerClumps: number;
  markerClumpScale: number;
  markerGrain: number;
  markerSpeck: number;
  /** Darkening of the marker's rim (its membrane), in grey levels. */
  markerRim: number;
  /** Neuropil: Voronoi spacing (px), background grey, membrane darkness factor, cytoplasm grain. */
  cellSize: number;
  background: number;
  membraneDarkness: number;
  grain: number;
  /** Probability that a grid cell holds the object (0 = none of that kind). */
  smallAxonDensity: number;
  myelinDensity: number;
  mitoDensity: number;
  vesicleDensity: number;
  /** Point spread σ (px) and sensor noise σ (grey levels). */
  blurSigma: number;
  noiseSigma: number;
  /** Tone after blur and noise: v' = offset + gain · 255 · (v / 255)^gamma. */
  gain: number;
  gamma: number;
  offset: number;
}

export const CLASSIC_STYLE: Readonly<SemStyle> = Object.freeze({
  sizeLaw: 'uniformDiameter',
  markerDiameter: [72, 150],
  markerWobble: 0.12,
  markerElongation: 1,
  markerGray: [30, 48],
  markerClumps: 16,
  markerClumpScale: 9,
  markerGrain: 14,
  markerSpeck: 22,
  markerRim: 50,
  cellSize: 54,
  background: 170,
  membraneDarkness: 1,
  grain: 26,
  smallAxonDensity: 0.4,
  myelinDensity: 0.33,
  mitoDensity: 0.55,
  vesicleDensity: 0.6,
  blurSigma: 1,
  noiseSigma: 8,
  gain: 1,
  gamma: 1,
  offset: 0,
} satisfies SemStyle);

export const SEM_STYLE_FAMILIES = ['classic', 'varied', 'heldout-crowded', 'heldout-soft', 'heldout-pale'] as const;
export type SemStyleFamily = (typeof SEM_STYLE_FAMILIES)[number];
export const HELD_OUT_STYLE_FAMILIES: readonly SemStyleFamily[] = ['heldout-crowded', 'heldout-soft', 'heldout-pale'];

export function isSemStyleFamily(name: string): name is SemStyleFamily {
  return (SEM_STYLE_FAMILIES as readonly string[]).includes(name);
}

/** Marker areas of the drawn families, px². */
export const MARKER_AREA_RANGE: readonly [number, number] = [1500, 20000];
const diameterOfArea = (a: number): number => 2 * Math.sqrt(a / Math.PI);
const AREA_DIAMETERS: [number, number] = [diameterOfArea(MARKER_AREA_RANGE[0]), diameterOfArea(MARKER_AREA_RANGE[1])];

type Range = readonly [number, number];
/** Ranges a family draws each parameter from (a number = fixed). */
type Ranges = { [K in Exclude<keyof SemStyle, 'sizeLaw' | 'markerDiameter' | 'markerGray'>]: Range | number } & {
  markerGrayLow: Range;
  markerGraySpan: Range;
};

// Training ranges. Each held-out family below leaves them on the parameters it is named for.
const VARIED: Ranges = {
  markerWobble: [0.05, 0.22],
  markerElongation: [1, 1.6],
  markerGrayLow: [22, 50],
  markerGraySpan: [6, 20],
  markerClumps: [8, 22],
  markerClumpScale: [5, 13],
  markerGrain: [8, 18],
  markerSpeck: [12, 30],
  markerRim: [30, 60],
  cellSize: [46, 66],
  background: [150, 190],
  membraneDarkness: [0.7, 1.2],
  grain: [16, 32],
  smallAxonDensity: [0.2, 0.5],
  myelinDensity: [0.1, 0.45],
  mitoDensity: [0.3, 0.65],
  vesicleDensity: [0.3, 0.7],
  blurSigma: [0.6, 1.5],
  noiseSigma: [4, 13],
  gain: [0.8, 1.15],
  gamma: [0.82, 1.22],
  offset: [-18, 18],
};

const HELD_OUT: Record<Exclude<SemStyleFamily, 'classic' | 'varied'>, Ranges> = {
  'heldout-crowded': {
    ...VARIED,
    cellSize: [36, 42],
    smallAxonDensity: [0.6, 0.75],
    myelinDensity: [0.6, 0.8],
    mitoDensity: [0.75, 0.95],
    vesicleDensity: [0.8, 0.95],
  },
  'heldout-soft': {
    ...VARIED,
    blurSigma: [1.7, 2.2],
    noiseSigma: [14, 18],
    gain: [0.62, 0.74],
    gamma: [1.3, 1.45],
  },
  'heldout-pale': {
    ...VARIED,
    markerGrayLow: [56, 66],
    markerGraySpan: [6, 12],
    markerClumps: [4, 7],
    markerSpeck: [6, 11],
    markerRim: [15, 26],
    gamma: [0.62, 0.78],
    offset: [22, 32],
  },
};

function pick(rand: Random, r: Range | number): number {
  return typeof r === 'number' ? r : uniform(rand, r[0], r[1]);
}

/** A style of the family, drawn from a seeded PRNG ('classic' ignores the seed). */
export function drawSemStyle(family: SemStyleFamily, seed: number): SemStyle {
  if (family === 'classic') return { ...CLASSIC_STYLE, markerDiameter: [...CLASSIC_STYLE.markerDiameter], markerGray: [...CLASSIC_STYLE.markerGray] };
  const ranges = family === 'varied' ? VARIED : HELD_OUT[family];
  const rand = mulberry32((seed ^ 0x5717e) >>> 0);
  const grayLow = pick(rand, ranges.markerGrayLow);
  return {
    sizeLaw: 'logUniformArea',
    markerDiameter: [...AREA_DIAMETERS],
    markerWobble: pick(rand, ranges.markerWobble),
    markerElongation: pick(rand, ranges.markerElongation),
    markerGray: [grayLow, grayLow + pick(rand, ranges.markerGraySpan)],
    markerClumps: pick(rand, ranges.markerClumps),
    markerClumpScale: pick(rand, ranges.markerClumpScale),
    markerGrain: pick(rand, ranges.markerGrain),
    markerSpeck: pick(rand, ranges.markerSpeck),
    markerRim: pick(rand, ranges.markerRim),
    cellSize: pick(rand, ranges.cellSize),
    background: pick(rand, ranges.background),
    membraneDarkness: pick(rand, ranges.membraneDarkness),
    grain: pick(rand, ranges.grain),
    smallAxonDensity: pick(rand, ranges.smallAxonDensity),
    myelinDensity: pick(rand, ranges.myelinDensity),
    mitoDensity: pick(rand, ranges.mitoDensity),
    vesicleDensity: pick(rand, ranges.vesicleDensity),
    blurSigma: pick(rand, ranges.blurSigma),
    noiseSigma: pick(rand, ranges.noiseSigma),
    gain: pick(rand, ranges.gain),
    gamma: pick(rand, ranges.gamma),
    offset: pick(rand, ranges.offset),
  };
}

/** The style an image uses: a record as given, a family drawn with the image seed, or classic. */
export function resolveSemStyle(style: SemStyle | SemStyleFamily | undefined, seed: number): SemStyle {
  if (style === undefined) return drawSemStyle('classic', seed);
  return typeof style === 'string' ? drawSemStyle(style, seed) : style;
}

/** Whether the tone curve is the identity (then it is skipped, keeping classic bytes exact). */
export function isIdentityTone(s: SemStyle): boolean {
  return s.gain === 1 && s.gamma === 1 && s.offset === 0;
}

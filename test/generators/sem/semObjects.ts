// The tissue objects of a synthetic SEM tile other than the markers: myelinated axons,
// mitochondria and clusters of synaptic vesicles. Each kind lives on its own grid of cells and
// every cell's object is a pure function of (seed, cell): any tile can list the objects that
// touch it without generating the whole image. Objects keep clear of the markers (and the small
// ones of the myelinated axons) so the scene stays plausible.
import { hash3, mulberry32, uniform } from './prng';
import type { MarkerShape } from './semMarkers';
import type { SemStyle } from './semStyle';

export const MYELIN_CELL = 360;
export const MITO_CELL = 260;
export const VESICLE_CELL = 170;

export interface MyelinAxon {
  x: number;
  y: number;
  rOut: number;
  rIn: number;
  wobble: Array<{ k: number; amp: number; phase: number }>;
  /** Extra wobble of the inner edge only: the sheath is not equally thick all round. */
  innerWobble: Array<{ k: number; amp: number; phase: number }>;
  ringGray: number;
  axoplasmGray: number;
}

export interface Mitochondrion {
  x: number;
  y: number;
  /** Semi-axes (a along the long axis) and orientation. */
  a: number;
  b: number;
  cos: number;
  sin: number;
  cristaePeriod: number;
  phase: number;
}

export interface VesicleCluster {
  x: number;
  y: number;
  /** Largest distance of a vesicle edge from (x, y). */
  reach: number;
  vesicles: Array<{ x: number; y: number; r: number }>;
}

/** Spatial lookup of the markers, to keep other objects off them. */
export class MarkerIndex {
  private readonly buckets = new Map<number, MarkerShape[]>();
  private static readonly BUCKET = 256;

  constructor(readonly shapes: readonly MarkerShape[]) {
    for (const s of shapes) {
      const b = MarkerIndex.BUCKET;
      for (let gy = Math.floor(s.by / b); gy <= Math.floor((s.by + s.bh) / b); gy++) {
        for (let gx = Math.floor(s.bx / b); gx <= Math.floor((s.bx + s.bw) / b); gx++) {
          const key = gy * 100_000 + gx;
          const list = this.buckets.get(key) ?? [];
          list.push(s);
          this.buckets.set(key, list);
        }
      }
    }
  }

  /** Markers whose bitmap box intersects the rectangle. */
  inRect(x0: number, y0: number, x1: number, y1: number): MarkerShape[] {
    const b = MarkerIndex.BUCKET;
    const found = new Set<MarkerShape>();
    for (let gy = Math.floor(y0 / b); gy <= Math.floor(y1 / b); gy++) {
      for (let gx = Math.floor(x0 / b); gx <= Math.floor(x1 / b); gx++) {
        for (const s of this.buckets.get(gy * 100_000 + gx) ?? []) {
          if (s.bx <= x1 && s.bx + s.bw >= x0 && s.by <= y1 && s.by + s.bh >= y0) found.add(s);
        }
      }
    }
    return [...found];
  }

  /** Whether a disc of radius r at (x, y) comes within `gap` of a marker's outline. */
  nearDisc(x: number, y: number, r: number, gap: number): boolean {
    return this.inRect(x - r - gap, y - r - gap, x + r + gap, y + r + gap).some(
      (s) => Math.hypot(s.outline.x - x, s.outline.y - y) < s.outline.reach + r + gap,
    );
  }
}

export function myelinInCell(seed: number, style: SemStyle, markers: MarkerIndex, gx: number, gy: number): MyelinAxon | null {
  const rand = mulberry32(hash3(seed, gx, gy, 101));
  if (rand() > style.myelinDensity) return null;
  const rOut = uniform(rand, 42, 118);
  const rIn = rOut * uniform(rand, 0.6, 0.76);
  // Fully inside its own cell: axons of neighbouring cells never overlap.
  const margin = rOut * 1.06 + 4;
  const x = gx * MYELIN_CELL + uniform(rand, margin, MYELIN_CELL - margin);
  const y = gy * MYELIN_CELL + uniform(rand, margin, MYELIN_CELL - margin);
  const wobble = [2, 3, 5].map((k) => ({ k, amp: uniform(rand, 0, 0.045 / k * 2), phase: uniform(rand, 0, 2 * Math.PI) }));
  const innerWobble = [1, 2, 3].map((k) => ({ k, amp: uniform(rand, 0, 0.05), phase: uniform(rand, 0, 2 * Math.PI) }));
  const axon = { x, y, rOut, rIn, wobble, innerWobble, ringGray: uniform(rand, 48, 66), axoplasmGray: uniform(rand, 158, 182) };
  return markers.nearDisc(x, y, rOut * 1.06, 10) ? null : axon;
}

/** Whether (x, y) with clearance r falls on a myelinated axon. */
function onMyelin(seed: number, style: SemStyle, markers: MarkerIndex, x: number, y: number, r: number): boolean {
  const gx = Math.floor(x / MYELIN_CELL);
  const gy = Math.floor(y / MYELIN_CELL);
  for (let j = gy - 1; j <= gy + 1; j++) {
    for (let i = gx - 1; i <= gx + 1; i++) {
      const m = myelinInCell(seed, style, markers, i, j);
      if (m && Math.hypot(m.x - x, m.y - y) < m.rOut * 1.06 + r) return true;
    }
  }
  return false;
}

export function mitochondrionInCell(seed: number, style: SemStyle, markers: MarkerIndex, gx: number, gy: number): Mitochondrion | null {
  const rand = mulberry32(hash3(seed, gx, gy, 202));
  if (rand() > style.mitoDensity) return null;
  const a = uniform(rand, 30, 75);
  const b = uniform(rand, 14, 24);
  const x = (gx + rand()) * MITO_CELL;
  const y = (gy + rand()) * MITO_CELL;
  const angle = uniform(rand, 0, Math.PI);
  const mito = { x, y, a, b, cos: Math.cos(angle), sin: Math.sin(angle), cristaePeriod: uniform(rand, 9, 14), phase: uniform(rand, 0, 10) };
  if (markers.nearDisc(x, y, a, 6) || onMyelin(seed, style, markers, x, y, a + 4)) return null;
  return mito;
}

export function vesicleClusterInCell(seed: number, style: SemStyle, markers: MarkerIndex, gx: number, gy: number): VesicleCluster | null {
  const rand = mulberry32(hash3(seed, gx, gy, 303));
  if (rand() > style.vesicleDensity) return null;
  const x = (gx + rand()) * VESICLE_CELL;
  const y = (gy + rand()) * VESICLE_CELL;
  const spread = uniform(rand, 16, 34);
  const n = Math.floor(uniform(rand, 10, 36));
  const vesicles: VesicleCluster['vesicles'] = [];
  for (let k = 0; k < n; k++) {
    // Denser towards the centre, like vesicles packed at an active zone.
    const rho = spread * Math.sqrt(rand()) * (0.6 + 0.4 * rand());
    const phi = uniform(rand, 0, 2 * Math.PI);
    vesicles.push({ x: x + rho * Math.cos(phi), y: y + rho * Math.sin(phi), r: uniform(rand, 3, 5) });
  }
  const reach = spread + 7;
  if (markers.nearDisc(x, y, reach, 4) || onMyelin(seed, style, markers, x, y, reach)) return null;
  return { x, y, reach, vesicles };
}

/** All objects of one kind whose cells can reach the rectangle [x0, x1) × [y0, y1). */
export function objectsInRect<T>(
  cell: number,
  reach: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  make: (gx: number, gy: number) => T | null,
): T[] {
  const out: T[] = [];
  for (let gy = Math.floor((y0 - reach) / cell); gy <= Math.floor((y1 + reach) / cell); gy++) {
    for (let gx = Math.floor((x0 - reach) / cell); gx <= Math.floor((x1 + reach) / cell); gx++) {
      const o = make(gx, gy);
      if (o !== null) out.push(o);
    }
  }
  return out;
}

export const SMALL_AXON_CELL = 64;

/** A small unmyelinated axon cut across: a round profile with its own membrane. */
export interface SmallAxon {
  x: number;
  y: number;
  r: number;
  gray: number;
}

export function smallAxonInCell(seed: number, style: SemStyle, markers: MarkerIndex, gx: number, gy: number): SmallAxon | null {
  const rand = mulberry32(hash3(seed, gx, gy, 404));
  if (rand() > style.smallAxonDensity) return null;
  const r = uniform(rand, 8, 21);
  // Inside its own cell, so two never overlap.
  const x = gx * SMALL_AXON_CELL + uniform(rand, r + 2, SMALL_AXON_CELL - r - 2);
  const y = gy * SMALL_AXON_CELL + uniform(rand, r + 2, SMALL_AXON_CELL - r - 2);
  const axon = { x, y, r, gray: uniform(rand, 146, 176) };
  if (markers.nearDisc(x, y, r, 3) || onMyelin(seed, style, markers, x, y, r + 2)) return null;
  return axon;
}

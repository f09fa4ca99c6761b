// Review items → what the viewer's overlay layers draw: boxes coloured by state (the current one
// white, an adjusted box as drafted), the current item's mask, and the heat map of crop scores.
import type { ImageRect } from '../viewer/coords';
import type { OverlayBox, OverlayStatus, RasterOverlay } from '../viewer/overlays';
import type { Rgb } from '../viewer/overlayRaster';
import { maskToRgba, rampColor } from '../viewer/overlayRaster';
import type { Box, Heatmap, ReviewItem, ReviewState } from './reviewTypes';

/** 'later' has no overlay status of its own: a violet outline tells it from pending. */
export const LATER_COLOR = 0xa78bfa;
export const MASK_COLOR: Rgb = [255, 64, 160];
export const MASK_OPACITY = 0.45;

const STATE_STATUS: Record<ReviewState, OverlayStatus> = {
  pending: 'suggested',
  accepted: 'accepted',
  declined: 'declined',
  later: 'suggested',
};

export function boxRect(box: Box): ImageRect {
  return { x0: box[0], y0: box[1], x1: box[0] + box[2], y1: box[1] + box[3] };
}

export function itemKey(item: Pick<ReviewItem, 'kind' | 'id'>): string {
  return `${item.kind}:${item.id}`;
}

/** Every item as a box; `currentKey`'s drawn white with `currentBox` (the adjusted box, if any). */
export function reviewBoxes(items: readonly ReviewItem[], currentKey: string | null, currentBox: Box | null): OverlayBox[] {
  const out: OverlayBox[] = [];
  let current: OverlayBox | null = null;
  for (const item of items) {
    const key = itemKey(item);
    if (key === currentKey) {
      current = { id: key, rect: boxRect(currentBox ?? item.box), status: 'selected' };
      continue;
    }
    const status: OverlayStatus = item.kind === 'annotation' ? 'manual' : STATE_STATUS[item.state];
    out.push({ id: key, rect: boxRect(item.box), status, ...(item.state === 'later' ? { color: LATER_COLOR } : {}) });
  }
  // The current box last, so it is drawn over its neighbours.
  if (current) out.push(current);
  return out;
}

/** A decoded mask over its box as a semi-transparent overlay. */
export function maskRaster(mask: Uint8Array, box: Box): RasterOverlay {
  return { rect: boxRect(box), width: box[2], height: box[3], rgba: maskToRgba(mask, MASK_COLOR, MASK_OPACITY), smooth: false };
}

/** The longest side of the heat-map texture; crops are painted onto it as rectangles. */
const HEATMAP_MAX_TEXELS = 1024;

/**
 * Crop scores as an overlay over the whole image, one rectangle per crop at its real place (the
 * last row/column is shifted to the image border, so cells may overlap: later ones win).
 * Background crops (-1) and crops not swept yet (null) stay transparent.
 */
export function heatmapRaster(h: Heatmap, imageWidth: number, imageHeight: number, opacity = 0.5): RasterOverlay {
  const factor = Math.max(1, Math.ceil(Math.max(imageWidth, imageHeight) / HEATMAP_MAX_TEXELS));
  const tw = Math.ceil(imageWidth / factor);
  const th = Math.ceil(imageHeight / factor);
  const rgba = new Uint8Array(tw * th * 4);
  for (let row = 0; row < h.rows; row++) {
    for (let col = 0; col < h.cols; col++) {
      const score = h.scores[row * h.cols + col];
      if (score === null || score === undefined || score < 0) continue;
      const [r, g, b] = rampColor(score);
      const a = Math.round(255 * opacity * (0.25 + 0.75 * Math.min(1, score)));
      const x0 = Math.floor((h.xs[col] ?? 0) / factor);
      const y0 = Math.floor((h.ys[row] ?? 0) / factor);
      const x1 = Math.min(tw, Math.ceil(((h.xs[col] ?? 0) + h.cropSize) / factor));
      const y1 = Math.min(th, Math.ceil(((h.ys[row] ?? 0) + h.cropSize) / factor));
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const i = (y * tw + x) * 4;
          rgba[i] = r;
          rgba[i + 1] = g;
          rgba[i + 2] = b;
          rgba[i + 3] = a;
        }
      }
    }
  }
  return { rect: { x0: 0, y0: 0, x1: tw * factor, y1: th * factor }, width: tw, height: th, rgba, smooth: false };
}

/** Applies streamed heat-map cells (sweep.crops) to a heat map in place; returns whether any changed. */
export function applyCropScores(h: Heatmap, crops: readonly { col: number; row: number; score: number }[]): boolean {
  let changed = false;
  for (const c of crops) {
    if (c.col >= h.cols || c.row >= h.rows) continue;
    h.scores[c.row * h.cols + c.col] = c.score;
    changed = true;
  }
  return changed;
}

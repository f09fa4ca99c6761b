// The share of an image an expert is shown when reviewing suggestions: each suggestion is shown
// with context, its box grown by half its size on every side (twice its width and height, same
// centre), at least 256 px square, clipped to the image; the shown area is the union of those
// rectangles. One definition for the sweep benchmark (test/bench/sweep.ts) and the evaluation
// against an annotation set (core/evaluation), so their figures compare.
import { clipRect, unionArea, type Rect } from './rectUnion';

/** The smallest context a suggestion is shown with, in level-0 pixels. */
export const MIN_CONTEXT_PX = 256;

/** The context rectangle of a suggestion box [x, y, w, h], clipped to the image; null when nothing is left. */
export function suggestionContextRect(box: readonly [number, number, number, number], width: number, height: number): Rect | null {
  const [x, y, w, h] = box;
  const cw = Math.max(MIN_CONTEXT_PX, 2 * w);
  const ch = Math.max(MIN_CONTEXT_PX, 2 * h);
  return clipRect({ x: x + w / 2 - cw / 2, y: y + h / 2 - ch / 2, width: cw, height: ch }, width, height);
}

/** Union area of the boxes' context rectangles over the image area (0 for no box). */
export function shownFraction(boxes: readonly (readonly [number, number, number, number])[], width: number, height: number): number {
  const rects = boxes.flatMap((b) => suggestionContextRect(b, width, height) ?? []);
  return unionArea(rects) / (width * height);
}

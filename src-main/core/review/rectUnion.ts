// Area of the union of axis-aligned rectangles (the part of an image the expert was shown),
// by a sweep over x: between two consecutive rectangle edges, the covered length along y is
// the union of the active y-intervals. O(n² log n), ample for the few thousand a review makes.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Clips to [0, width) × [0, height); null when nothing is left. */
export function clipRect(r: Rect, width: number, height: number): Rect | null {
  const x0 = Math.max(0, r.x);
  const y0 = Math.max(0, r.y);
  const x1 = Math.min(width, r.x + r.width);
  const y1 = Math.min(height, r.y + r.height);
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
}

export function unionArea(rects: readonly Rect[]): number {
  const live = rects.filter((r) => r.width > 0 && r.height > 0);
  const xs = [...new Set(live.flatMap((r) => [r.x, r.x + r.width]))].sort((a, b) => a - b);
  let area = 0;
  for (let i = 0; i + 1 < xs.length; i++) {
    const x0 = xs[i] as number;
    const x1 = xs[i + 1] as number;
    const spans = live
      .filter((r) => r.x <= x0 && r.x + r.width >= x1)
      .map((r) => [r.y, r.y + r.height] as const)
      .sort((a, b) => a[0] - b[0]);
    let covered = 0;
    let end = -Infinity;
    for (const [a, b] of spans) {
      if (b <= end) continue;
      covered += b - Math.max(a, end);
      end = b;
    }
    area += covered * (x1 - x0);
  }
  return area;
}

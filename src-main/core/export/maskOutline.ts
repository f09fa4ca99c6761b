// Polygons traced from a mask along pixel edges (so a polygon covers exactly the mask's
// pixels), for GeoJSON. Each foreground pixel contributes its sides that face background,
// directed clockwise on screen (y down); linked into closed rings, outer rings have positive
// shoelace area and holes negative. Collinear vertices are dropped.
import type { MaskRegion } from '../review/maskRegion';

export type Ring = Array<[number, number]>;
export interface PolygonRings {
  outer: Ring;
  holes: Ring[];
}

function signedArea(ring: Ring): number {
  let s = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x0, y0] = ring[i] as [number, number];
    const [x1, y1] = ring[(i + 1) % ring.length] as [number, number];
    s += x0 * y1 - x1 * y0;
  }
  return s / 2;
}

function inside(ring: Ring, px: number, py: number): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

function dropCollinear(ring: Ring): Ring {
  const out: Ring = [];
  for (let i = 0; i < ring.length; i++) {
    const prev = ring[(i - 1 + ring.length) % ring.length] as [number, number];
    const cur = ring[i] as [number, number];
    const next = ring[(i + 1) % ring.length] as [number, number];
    const cross = (cur[0] - prev[0]) * (next[1] - cur[1]) - (cur[1] - prev[1]) * (next[0] - cur[0]);
    if (cross !== 0) out.push(cur);
  }
  return out;
}

/** Rings in image coordinates (the region's offset applied), grouped into polygons. */
export function traceMask(region: MaskRegion): PolygonRings[] {
  const { width: w, height: h, mask } = region;
  const on = (x: number, y: number) => x >= 0 && y >= 0 && x < w && y < h && mask[y * w + x] === 1;
  const key = (x: number, y: number) => y * (w + 1) + x;
  const next = new Map<number, number[]>();
  const add = (x0: number, y0: number, x1: number, y1: number) => {
    const k = key(x0, y0);
    const list = next.get(k) ?? [];
    list.push(key(x1, y1));
    next.set(k, list);
  };
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (!on(x, y)) continue;
      if (!on(x, y - 1)) add(x, y, x + 1, y);
      if (!on(x + 1, y)) add(x + 1, y, x + 1, y + 1);
      if (!on(x, y + 1)) add(x + 1, y + 1, x, y + 1);
      if (!on(x - 1, y)) add(x, y + 1, x, y);
    }
  const rings: Ring[] = [];
  for (const [start, outs] of next) {
    while (outs.length > 0) {
      const ring: Ring = [];
      let at = start;
      for (;;) {
        ring.push([(at % (w + 1)) + region.x, Math.floor(at / (w + 1)) + region.y]);
        const list = next.get(at);
        const to = list?.pop();
        if (to === undefined) break;
        at = to;
        if (at === start) break;
      }
      if (ring.length >= 4) rings.push(dropCollinear(ring));
    }
  }
  const outers = rings.filter((r) => signedArea(r) > 0).map((outer) => ({ outer, holes: [] as Ring[] }));
  for (const hole of rings.filter((r) => signedArea(r) < 0)) {
    const [hx, hy] = hole[0] as [number, number];
    const owner = outers.find((p) => inside(p.outer, hx + 0.5, hy + 0.5)) ?? outers.find((p) => inside(p.outer, hx, hy));
    owner?.holes.push(hole);
  }
  return outers;
}
